import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, startTestServer, type TestServer } from './server.ts';

const EXPECTED: Record<string, string[]> = {
  '/oauth/token': ['post'],
  '/v1/batch-query': ['post'],
  '/apps/api/batch-query': ['post'],
  '/v1/batch-query/jobs': ['get'],
  '/apps/api/batch-query/jobs': ['get'],
  '/v1/batch-query/jobs/{id}': ['delete', 'get'],
  '/apps/api/batch-query/jobs/{id}': ['delete', 'get'],
  '/v1/batch-query/jobs/partner/{partner}/project/{project}': ['get'],
  '/apps/api/batch-query/jobs/partner/{partner}/project/{project}': ['get'],
  '/v1/file/{fileId}': ['get'],
  '/v1/files/{fileId}': ['get'],
  '/v1/batch-query/file/{fileId}': ['get'],
  '/apps/api/file/{fileId}': ['get'],
  '/apps/api/files/{fileId}': ['get'],
  '/apps/api/batch-query/file/{fileId}': ['get'],
  '/v1/describe': ['get'],
  '/apps/api/describe': ['get'],
  '/v1/describe/{object}': ['get'],
  '/apps/api/describe/{object}': ['get'],
  '/v1/object/{object}': ['post'],
  '/apps/api/object/{object}': ['post'],
  '/v1/object/{object}/{id}': ['delete', 'get', 'put'],
  '/apps/api/object/{object}/{id}': ['delete', 'get', 'put'],
};

describe('OpenAPI document', () => {
  let s: TestServer;
  before(async () => {
    s = await startTestServer();
  });
  after(() => s.close());

  it('is served without credentials and lists every route with its methods', async () => {
    const res = await call(`${s.url}/openapi.json`);
    assert.equal(res.status, 200);
    assert.equal(res.body.openapi, '3.0.3');
    const paths = res.body.paths as Record<string, Record<string, unknown>>;
    const listed = Object.fromEntries(
      Object.entries(paths).map(([p, ops]) => [
        p,
        Object.keys(ops)
          .filter((k) => k !== 'parameters')
          .sort(),
      ]),
    );
    assert.deepEqual(listed, EXPECTED);
  });

  it('documents the submit body and the job answer', async () => {
    const res = await call(`${s.url}/openapi.json`);
    const submit = res.body.paths['/v1/batch-query'].post;
    const body = submit.requestBody.content['application/json'].schema;
    assert.deepEqual(Object.keys(body.properties).sort(), [
      'dateTimeUtc',
      'encrypted',
      'format',
      'incrementalTime',
      'name',
      'notifyUrl',
      'nullReplacement',
      'offset',
      'partner',
      'project',
      'queries',
      'sourceData',
      'useQueryLabels',
      'version',
    ]);
    assert.ok(submit.responses['200'].content['application/json'].schema.properties.batches);
    assert.ok(
      submit.parameters.some(
        (p: { in: string; name: string }) => p.in === 'header' && p.name === 'Idempotency-Key',
      ),
    );
  });
});
