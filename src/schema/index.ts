export type { FieldDef, FieldType, JoinDef, JoinHop, ObjectDef } from './model.ts';
export { exportableFields, getField, getJoin, getObject, objects } from './model.ts';
