// The class fix, checked route by route: every string and integer input the OpenAPI document describes
// (path, query and JSON body) is sent a NUL character and an integer of 2^63. Each must be refused with a
// 4xx problem+json naming that input; none may reach the database and come back as a 500.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../helpers/factories.ts';

let t: TestApp;
before(async () => { t = await createTestApp(); });
after(() => t.close());

/** The part of JSON Schema, as the OpenAPI document carries it, that this walk reads. */
interface Schema {
  const?: unknown; enum?: unknown[]; default?: unknown; anyOf?: Schema[]; oneOf?: Schema[]; type?: string | string[];
  format?: string; pattern?: string; minLength?: number; minimum?: number; minItems?: number; items?: Schema;
  required?: string[]; properties?: Record<string, Schema>;
}
interface Operation { parameters?: { in: string; name: string; required?: boolean; schema: Schema }[]; requestBody?: { content: Record<string, { schema: Schema }> } }

const huge = '9223372036854775808';
// Values that satisfy the patterns our schemas use (division codes, dates, receipt numbers, ids, case kinds…).
const patternSamples = ['511600000000', 'abc', '2026-01-01', '2026-01', '13800138000', '11010519491231002X', '1234567890123456',
  'A01-0000-0000-0000', '结婚', 'x'.repeat(43), 'C0102'];

function sample(schema: Schema): unknown {
  if ('const' in schema) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice) return sample(choice[0]);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string': {
      if (schema.format === 'date-time') return '2026-01-05T08:00:00.000Z';
      if (schema.format === 'date') return '2026-01-05';
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      const pattern = schema.pattern;
      if (pattern) return patternSamples.find((s) => new RegExp(pattern, 'u').test(s)) ?? 'x';
      return 'x'.repeat(schema.minLength ?? 1);
    }
    case 'integer': case 'number': return schema.minimum ?? 1;
    case 'boolean': return true;
    case 'array': return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items ?? {}));
    case 'object': return Object.fromEntries((schema.required ?? []).map((k: string) => [k, sample(schema.properties?.[k] ?? {})]));
    default: return 'x';
  }
}

const isType = (schema: Schema, type: string): boolean =>
  schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type))
  || [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].some((s: Schema) => isType(s, type));

const query = (values: Record<string, unknown>) =>
  Object.entries(values).map(([k, v]) => `${encodeURIComponent(k)}=${v === huge ? huge : encodeURIComponent(String(v))}`).join('&');

test('every string and integer input of every route refuses a NUL and 2^63 with a 4xx naming it, never a 500', async () => {
  const spec = (await t.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, Record<string, Operation>> };
  const failures: string[] = [];
  let probes = 0;
  const probe = async (method: string, url: string, payload: string | undefined, field: string) => {
    probes++;
    const res = await t.app.inject({ method: method.toUpperCase() as 'GET', url, payload, headers: payload ? { 'content-type': 'application/json' } : {} });
    // Open311 and CKAN's action API answer errors in the shapes their protocols define, naming the field in the text.
    const named = /^\/(open311|api\/3)\//.test(url) ? new RegExp(`(^|[^A-Za-z_])${field}([^A-Za-z_]|$)`).test(res.body)
      : res.headers['content-type'] === 'application/problem+json; charset=utf-8' && res.json().field === field;
    if (res.statusCode < 400 || res.statusCode >= 500 || !named)
      failures.push(`${method.toUpperCase()} ${url} ${payload ?? ''} → ${res.statusCode} ${res.body.slice(0, 160)}`);
  };
  for (const [template, operations] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const params = op.parameters ?? [];
      const pathValues = Object.fromEntries(params.filter((p) => p.in === 'path').map((p) => [p.name, sample(p.schema)]));
      const queryValues = Object.fromEntries(params.filter((p) => p.in === 'query' && p.required).map((p) => [p.name, sample(p.schema)]));
      const url = (pathOverride: Record<string, unknown>, queryOverride: Record<string, unknown>) => {
        const path = template.replace(/\{([^}]+)\}/g, (_m, name: string) =>
          (pathOverride[name] === '\u0000' ? '%00' : encodeURIComponent(String(pathOverride[name] ?? pathValues[name]))));
        const q = query({ ...queryValues, ...queryOverride });
        return q ? `${path}?${q}` : path;
      };
      const json = op.requestBody?.content['application/json']?.schema;
      const body = json ? JSON.stringify(sample(json)) : undefined;
      for (const p of params) {
        const where = p.in === 'path' ? 'path' : p.in === 'query' ? 'query' : undefined;
        if (!where) continue;
        for (const [type, bad] of [['string', '\u0000'], ['integer', huge]] as const) {
          if (!isType(p.schema, type)) continue;
          await probe(method, where === 'path' ? url({ [p.name]: bad }, {}) : url({}, { [p.name]: bad }), body, p.name);
        }
      }
      for (const [name, schema] of Object.entries<Schema>(json?.properties ?? {})) {
        const base = JSON.stringify({ ...(sample(json!) as object), [name]: 0 });
        if (isType(schema, 'string')) await probe(method, url({}, {}), base.replace(`"${name}":0`, `"${name}":"\\u0000"`), name);
        if (isType(schema, 'integer')) await probe(method, url({}, {}), base.replace(`"${name}":0`, `"${name}":${huge}`), name);
      }
    }
  }
  assert.ok(probes > 200, `only ${probes} probes`);
  assert.deepEqual(failures, []);
});
