import { QueryError } from '../errors.ts';
import type { FieldDef, JoinDef, ObjectDef } from '../schema/index.ts';
import { getField, getJoin, getObject } from '../schema/index.ts';
import type { NameNode, NamePart, Position, QueryLanguage } from './ast.ts';
import type { FieldExpr } from './model.ts';

/** Where a name is used: ZOQL checks selectable for select and filterable for where. */
export type Clause = 'select' | 'where' | 'other';

export function failAt(at: Position, reason: string, code?: '90020'): never {
  throw new QueryError(reason, at.line, at.column, code);
}

/**
 * The names a query may use: the data source's fields and, in Export ZOQL, its joined objects.
 * Remembers which joined objects were used, in order of first use.
 */
export class Scope {
  readonly object: ObjectDef;
  readonly relations: JoinDef[] = [];
  /** Set once an aggregate or date function is met. */
  usesFunctions = false;
  private readonly targets = new Map<string, ObjectDef>();

  constructor(
    from: NamePart,
    readonly language: QueryLanguage,
  ) {
    const object = getObject(from.text);
    if (!object) failAt(from, `unknown object '${from.text}'`);
    this.object = object;
  }

  /** Resolves `Field` or `Qualifier.Field` to a typed field of the base or of a joined object. */
  field(name: NameNode, clause: Clause): FieldExpr {
    if (name.parts.length === 1) return this.baseField(name.parts[0], clause);
    const [qualifier, part] = name.parts;
    const relation = this.relation(qualifier);
    if (!relation) return this.baseField(part, clause);
    const target = this.targets.get(relation.name)!;
    const field = getField(target, part.text);
    if (!field) failAt(part, `unknown field '${part.text}' on ${relation.name}`);
    this.checkExportable(field, relation.name, part);
    return { kind: 'field', relation, field, type: field.type };
  }

  /**
   * The joined object a qualifier names, or undefined when it names the data source itself.
   * Unknown qualifiers are errors.
   */
  relation(qualifier: NamePart): JoinDef | undefined {
    if (qualifier.text.toLowerCase() === this.object.name.toLowerCase()) return undefined;
    if (this.language === 'zoql') {
      failAt(qualifier, `ZOQL has no joins: '${qualifier.text}' is not ${this.object.name}`);
    }
    const relation = getJoin(this.object, qualifier.text);
    if (!relation)
      failAt(qualifier, `'${qualifier.text}' is neither ${this.object.name} nor an object joined to it`);
    if (!this.targets.has(relation.name)) {
      const target = getObject(relation.object);
      if (!target) failAt(qualifier, `the object behind '${relation.name}' is unknown`);
      this.targets.set(relation.name, target);
      this.relations.push(relation);
    }
    return relation;
  }

  /** The object a relation points at (after `relation()` resolved it). */
  target(relation: JoinDef): ObjectDef {
    return this.targets.get(relation.name)!;
  }

  private baseField(part: NamePart, clause: Clause): FieldExpr {
    const field = getField(this.object, part.text);
    if (!field) failAt(part, `unknown field '${part.text}' on ${this.object.name}`);
    if (this.language === 'zoql') {
      if (clause === 'where' && !field.filterable) {
        failAt(part, `field '${field.name}' of ${this.object.name} cannot be used in a ZOQL where clause`);
      }
      if (clause === 'select' && !field.selectable) {
        failAt(part, `field '${field.name}' of ${this.object.name} cannot be selected with ZOQL`);
      }
    } else {
      this.checkExportable(field, this.object.name, part);
    }
    return { kind: 'field', field, type: field.type };
  }

  private checkExportable(field: FieldDef, owner: string, at: Position): void {
    if (!field.exportable) failAt(at, `field '${field.name}' of ${owner} cannot be exported`);
  }
}
