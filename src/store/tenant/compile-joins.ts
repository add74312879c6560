import type { JoinDef, ObjectDef } from '../../schema/index.ts';
import { quoteIdent } from './ddl.ts';

/**
 * The FROM clause of a query: the data source as `t0`, and one LEFT JOIN per distinct hop path,
 * so relations that share a prefix of their path (InvoiceItem → Invoice → Account for both
 * `Account` and `BillToContact`) join each table on that prefix once. A deleted parent joins as
 * nulls, like a missing one.
 */
export class JoinPlan {
  private readonly byPath = new Map<string, string>();
  private readonly byRelation = new Map<string, string>();
  private readonly clauses: string[] = [];
  private readonly from: string;

  constructor(base: ObjectDef, relations: readonly JoinDef[]) {
    this.from = `${quoteIdent(base.name)} AS ${quoteIdent('t0')}`;
    for (const relation of relations) this.byRelation.set(relation.name, this.walk(relation));
  }

  /** The table alias of the data source (no relation) or of a joined object. */
  alias(relation?: JoinDef): string {
    if (!relation) return 't0';
    const alias = this.byRelation.get(relation.name);
    if (!alias) throw new Error(`relation ${relation.name} was not planned`);
    return alias;
  }

  /** `"Base" AS "t0" LEFT JOIN ...`. */
  sql(): string {
    return [this.from, ...this.clauses].join(' ');
  }

  private walk(relation: JoinDef): string {
    let path = '';
    let parent = 't0';
    for (const hop of relation.hops) {
      path += `/${hop.from}.${hop.field}>${hop.to}`;
      let alias = this.byPath.get(path);
      if (!alias) {
        alias = `t${this.byPath.size + 1}`;
        this.byPath.set(path, alias);
        const a = quoteIdent(alias);
        this.clauses.push(
          `LEFT JOIN ${quoteIdent(hop.to)} AS ${a} ON ${a}."Id" = ${quoteIdent(parent)}.${quoteIdent(hop.field)} AND ${a}."_deleted_at" IS NULL`,
        );
      }
      parent = alias;
    }
    return parent;
  }
}
