import type { FieldDef, FieldType, ObjectDef } from '../schema/index.ts';

const DESCRIBE_TYPES: Record<FieldType, string> = {
  ID: 'text',
  string: 'text',
  picklist: 'picklist',
  decimal: 'decimal',
  integer: 'integer',
  boolean: 'boolean',
  date: 'date',
  dateTime: 'datetime',
};

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n';

/**
 * Escapes text for an XML element or a double-quoted attribute.
 * @example escapeXml('a<b & "c"') === 'a&lt;b &amp; &quot;c&quot;'
 */
export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&apos;',
  );
}

function objectRef(base: string, target: string, name: string, label: string): string {
  return (
    `  <object href="${escapeXml(`${base}/v1/describe/${target}`)}">\n` +
    `    <name>${escapeXml(name)}</name>\n` +
    `    <label>${escapeXml(label)}</label>\n` +
    '  </object>\n'
  );
}

function fieldXml(f: FieldDef): string {
  const contexts = [
    f.exportable ? '<context>export</context>' : '',
    f.selectable ? '<context>soap</context>' : '',
  ];
  const options =
    f.type === 'picklist'
      ? `      <options>${(f.values ?? []).map((v) => `<option>${escapeXml(v)}</option>`).join('')}</options>\n`
      : '';
  return (
    '    <field>\n' +
    `      <name>${escapeXml(f.name)}</name>\n` +
    `      <label>${escapeXml(f.label)}</label>\n` +
    `      <selectable>${f.selectable}</selectable>\n` +
    `      <createable>${f.createable}</createable>\n` +
    `      <updateable>${f.updateable}</updateable>\n` +
    `      <filterable>${f.filterable}</filterable>\n` +
    '      <custom>false</custom>\n' +
    `      <maxlength>${f.maxLength ?? ''}</maxlength>\n` +
    `      <required>${f.required}</required>\n` +
    `      <type>${DESCRIBE_TYPES[f.type]}</type>\n` +
    options +
    `      <contexts>${contexts.join('')}</contexts>\n` +
    '    </field>\n'
  );
}

/**
 * The object catalogue of `GET /v1/describe`. `base` is the server's origin, e.g. `http://127.0.0.1:8080`.
 * @example describeListXml(objects, 'http://h').includes('<object href="http://h/v1/describe/Account">')
 */
export function describeListXml(list: readonly ObjectDef[], base: string): string {
  return `${XML_HEAD}<objects>\n${list.map((o) => objectRef(base, o.name, o.name, o.label)).join('')}</objects>\n`;
}

/**
 * One object of `GET /v1/describe/{Object}`: name, label, fields, related-objects, in that order
 * (clients read the children by position).
 * @example describeObjectXml(getObject('Account')!, 'http://h').startsWith('<?xml')
 */
export function describeObjectXml(o: ObjectDef, base: string): string {
  const related = o.joins.map((j) => objectRef(base, j.object, j.name, j.label).replace(/^ {2}/gm, '    '));
  return (
    XML_HEAD +
    `<object href="${escapeXml(`${base}/v1/describe/${o.name}`)}">\n` +
    `  <name>${escapeXml(o.name)}</name>\n` +
    `  <label>${escapeXml(o.label)}</label>\n` +
    `  <fields>\n${o.fields.map(fieldXml).join('')}  </fields>\n` +
    `  <related-objects>\n${related.join('')}  </related-objects>\n` +
    '</object>\n'
  );
}
