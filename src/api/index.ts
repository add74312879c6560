export type { AppOptions } from './app.ts';
export { buildApp } from './app.ts';
export { WWW_AUTHENTICATE } from './errors.ts';
