import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { makeRowFormatter } from '../../src/export/index.ts';
import { utc } from './fixtures.ts';

describe('row values', () => {
  it('render every type as the contract says', () => {
    const row = makeRowFormatter(
      ['ID', 'string', 'decimal', 'integer', 'boolean', 'date', 'dateTime', 'picklist'],
      utc,
    );
    assert.equal(
      row([
        '2c92c0f8',
        'Acme, Inc.',
        77.86,
        42,
        1,
        '2024-02-29',
        Date.UTC(2024, 1, 29, 23, 59, 59),
        'Active',
      ]),
      '2c92c0f8,"Acme, Inc.",77.86,42,true,2024-02-29,2024-02-29T23:59:59+00:00,Active\n',
    );
    assert.equal(row(['x', 'y', -11095, 0, 0, null, null, null]), 'x,y,-11095,0,false,,,\n');
  });

  it('write exact aggregate strings as given, never through a double', () => {
    const row = makeRowFormatter(['decimal', 'decimal', 'decimal', 'integer'], utc);
    assert.equal(row(['0.3', '0', '-0.10', '12']), '0.3,0,-0.1,12\n');
    assert.equal(
      row(['100000000000000000000.01', '1e-7', '77.8600', '-0']),
      '100000000000000000000.01,0.0000001,77.86,0\n',
    );
  });

  it('write integers without decimals or exponent', () => {
    const row = makeRowFormatter(['integer', 'integer', 'integer'], utc);
    assert.equal(row([-0, 1e21, 31]), '0,1000000000000000000000,31\n');
  });

  it('write booleans as true and false', () => {
    const row = makeRowFormatter(['boolean', 'boolean', 'boolean', 'boolean'], utc);
    assert.equal(row([1, 0, true, false]), 'true,false,true,false\n');
  });

  it('write nulls as empty fields, or nullReplacement for every type', () => {
    const types = ['string', 'decimal', 'integer', 'boolean', 'date', 'dateTime'] as const;
    const nulls = [null, null, null, null, null, null];
    assert.equal(makeRowFormatter(types, utc)(nulls), ',,,,,\n');
    const row = makeRowFormatter(types, { ...utc, nullReplacement: 'N/A' });
    assert.equal(row(nulls), 'N/A,N/A,N/A,N/A,N/A,N/A\n');
    assert.equal(row(['', 0, 0, 0, '2024-01-01', 0]), ',0,0,false,2024-01-01,1970-01-01T00:00:00+00:00\n');
  });

  it('quote a nullReplacement that needs quotes', () => {
    assert.equal(makeRowFormatter(['string'], { ...utc, nullReplacement: 'a,b' })([null]), '"a,b"\n');
    assert.equal(makeRowFormatter(['string'], { ...utc, nullReplacement: '' })([null]), '\n');
  });

  it('put the deleted flag first, as 1/0 or true/false', () => {
    const numeric = makeRowFormatter(['ID', 'string'], { ...utc, deleted: { format: 'Numeric' } });
    assert.equal(numeric([1, 'a', 'x']), '1,a,x\n');
    assert.equal(numeric([0, 'b', null]), '0,b,\n');
    const bool = makeRowFormatter(['ID'], { ...utc, deleted: { format: 'Boolean' }, nullReplacement: '-' });
    assert.equal(bool([1, 'a']), 'true,a\n');
    assert.equal(bool([0, null]), 'false,-\n');
  });

  it('keep text as it is, quoting commas, quotes, CR and LF', () => {
    const row = makeRowFormatter(['string', 'string', 'string', 'string', 'string'], utc);
    assert.equal(
      row(['a"b', 'line\nbreak', 'cr\rhere', 'crlf\r\n', 'x']),
      '"a""b","line\nbreak","cr\rhere","crlf\r\n",x\n',
    );
    assert.equal(
      row(['é 中文 🙂', ' lead', 'trail ', '', 'tab\there']),
      'é 中文 🙂, lead,trail ,,tab\there\n',
    );
  });

  it('never write NUL characters', () => {
    const row = makeRowFormatter(['string', 'string', 'string'], { ...utc, nullReplacement: 'nu\0ll' });
    assert.equal(row(['nul\0gone', '\0\0', null]), 'nulgone,,null\n');
    assert.equal(row(['a\0,b', '"\0"', 'x']), '"a,b","""""",x\n');
  });

  it('give every row as many fields as there are columns', () => {
    const row = makeRowFormatter(['string', 'string', 'string'], utc);
    assert.equal(row(['a']), 'a,,\n');
    assert.equal(row(['a', 'b', 'c', 'extra']), 'a,b,c\n');
  });
});
