import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { configurationTable } from '../src/config-doc.ts';

describe('README', () => {
  it('carries the configuration reference generated from src/config.ts', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    assert.ok(readme.includes(configurationTable()), 'regenerate the Configuration table of README.md');
  });

  it('names the two set-up commands', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    assert.match(readme, /npm ci && npm start/);
    assert.match(readme, /^npm test\b/m);
  });
});
