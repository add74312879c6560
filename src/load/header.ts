import { RecordError } from '../errors.ts';
import { getField, getObject, type ObjectDef } from '../schema/index.ts';

/**
 * Canonical field names for a CSV header. A column names a field of the object either bare (`Name`) or
 * qualified by the object (`Account.Name`, as AQuA exports write with useQueryLabels); names ignore case.
 * @example headerFields(getObject('Account')!, ['account.id', 'Name']) // ['Id', 'Name']
 */
export function headerFields(object: ObjectDef, header: readonly string[]): string[] {
  const seen = new Set<string>();
  return header.map((column, i) => {
    const where = `column ${i + 1} '${column}'`;
    const dot = column.indexOf('.');
    let name = column;
    if (dot >= 0) {
      const qualifier = column.slice(0, dot);
      name = column.slice(dot + 1);
      if (qualifier.toLowerCase() !== object.name.toLowerCase()) {
        const other = getObject(qualifier)?.name ?? qualifier;
        throw new RecordError('INVALID_FIELD', `${where} names a field of ${other}, not of ${object.name}`);
      }
    }
    const field = getField(object, name);
    if (!field) throw new RecordError('INVALID_FIELD', `${where}: unknown field '${name}' on ${object.name}`);
    if (seen.has(field.name))
      throw new RecordError('INVALID_FIELD', `${where}: field ${field.name} is given twice`);
    seen.add(field.name);
    return field.name;
  });
}
