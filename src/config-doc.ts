import { SETTINGS } from './config.ts';

/**
 * The configuration reference as a Markdown table, generated from the settings table so the README
 * cannot drift from the code.
 * @example configurationTable().startsWith('| Flag |')
 */
export function configurationTable(): string {
  const rows = SETTINGS.map((s) => `| \`${s.flag}\` | \`${s.env}\` | ${s.defaultText} | ${s.description} |`);
  return ['| Flag | Environment | Default | Meaning |', '|---|---|---|---|', ...rows].join('\n');
}
