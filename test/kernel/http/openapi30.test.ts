import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asOpenApi30 } from '../../../src/kernel/http/index.ts';

test('the documentation page gets the 3.0 spelling of nullable values, exclusive bounds and tuples', () => {
  const spec = {
    openapi: '3.1.0',
    paths: { '/x': { get: { responses: { 200: { content: { 'application/json': { schema: { type: 'object', properties: {
      name: { anyOf: [{ type: 'string', maxLength: 5 }, { type: 'null' }] },
      state: { anyOf: [{ type: 'string', enum: ['a'] }, { type: 'string', enum: ['b'] }, { type: 'null' }] },
      share: { type: 'number', exclusiveMinimum: 0 },
      point: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }] },
    } } } } } } } } },
  };
  const down = asOpenApi30(spec) as typeof spec;
  assert.equal(down.openapi, '3.0.3');
  assert.deepEqual(down.paths['/x'].get.responses[200].content['application/json'].schema.properties as unknown, {
    name: { type: 'string', maxLength: 5, nullable: true },
    state: { anyOf: [{ type: 'string', enum: ['a'] }, { type: 'string', enum: ['b'] }], nullable: true },
    share: { type: 'number', minimum: 0, exclusiveMinimum: true },
    point: { type: 'array', items: { anyOf: [{ type: 'number' }, { type: 'number' }] } },
  });
  assert.equal(spec.openapi, '3.1.0', 'the served 3.1 document is left as it is');
});
