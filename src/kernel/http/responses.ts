/**
 * Response schemas: what a route answers, declared next to what it accepts. They type the handler (the
 * TypeBox provider checks its return value), they make the OpenAPI document from which the console's
 * types are generated, and in tests every answer is checked against them, so a schema cannot drift from
 * what the presenters send.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import Type, { type TSchema } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors.ts';

/** An instant: presenters may hand over a Date, the answer carries its ISO 8601 text. */
export const Timestamp = Type.Unsafe<string | Date>(Type.String({ format: 'date-time' }));
/** Either a value of `schema` or null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** One of a closed list of strings. */
export const OneOf = <const V extends readonly string[]>(values: V) => Type.Union(values.map((v) => Type.Literal(v))) as unknown as
  ReturnType<typeof Type.Unsafe<V[number]>>;
/** A list answer: `{ items }`, with `total` when the list pages. */
export const Items = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });
export const Page = <T extends TSchema>(item: T) => Type.Object({ total: Type.Integer(), items: Type.Array(item) });

/** RFC 9457 problem details as `sendProblem` writes them; a refusal may add its own members (`action`, `id`). */
export const ProblemSchema = Type.Object({
  type: Type.String(), title: Type.String(), status: Type.Integer(), code: Type.String(),
  detail: Type.Optional(Type.String()), field: Type.Optional(Type.String()),
  instance: Type.Optional(Type.String()), requestId: Type.Optional(Type.String()),
}, { additionalProperties: true });

type Schemas = Record<string, unknown>;

/** Every route that declares its answers also answers problems: 4xx and 5xx get the one problem schema. */
export function addProblemResponses(schema: Schemas | undefined): void {
  const response = schema?.response as Schemas | undefined;
  if (!response) return;
  response['4xx'] ??= ProblemSchema;
  response['5xx'] ??= ProblemSchema;
}

/**
 * The schema as a test reads it: an object that names its properties allows no others unless it says so,
 * so a field a presenter sends and the schema leaves out fails as surely as a missing one.
 */
function exact(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(exact);
  if (typeof schema !== 'object' || schema === null) return schema;
  const copy: Schemas = {};
  for (const [key, value] of Object.entries(schema)) copy[key] = key === 'properties'
    ? Object.fromEntries(Object.entries(value as Schemas).map(([name, property]) => [name, exact(property)])) : exact(value);
  if (copy.type === 'object' && copy.properties && !('additionalProperties' in copy)) copy.additionalProperties = false;
  return copy;
}

function responseSchema(response: Schemas, status: number): unknown {
  return response[String(status)] ?? response[`${String(status)[0]}xx`] ?? response.default;
}

/**
 * Test mode: every JSON answer of a route that declares its answers must match the schema for its status
 * exactly, or the request fails with 500 `response-mismatch` naming the route and the first difference.
 * The answer is checked as the client receives it (dates as text), after serialization.
 */
export function checkResponses(app: FastifyInstance): void {
  const ajv = new Ajv({ strict: false, allErrors: false });
  addFormats.default(ajv);
  const validators = new WeakMap<object, ValidateFunction>();
  app.addHook('onSend', async (req, reply, payload) => {
    const response = req.routeOptions.schema?.response as Schemas | undefined;
    const type = String(reply.getHeader('content-type') ?? '');
    if (!response || typeof payload !== 'string' || !type.includes('json')) return payload;
    const schema = responseSchema(response, reply.statusCode);
    if (typeof schema !== 'object' || schema === null) {
      if (reply.statusCode < 300 && reply.statusCode !== 204) throw responseMismatch(req.method, req.routeOptions.url, `no schema for status ${reply.statusCode}`);
      return payload;
    }
    let validate = validators.get(schema);
    if (!validate) validators.set(schema, validate = ajv.compile(exact(schema) as object));
    if (!validate(JSON.parse(payload))) {
      const first = validate.errors?.[0];
      const where = `${first?.instancePath || '/'} ${first?.message ?? ''} ${first?.params ? JSON.stringify(first.params) : ''}`;
      throw responseMismatch(req.method, req.routeOptions.url, `status ${reply.statusCode}: ${where}`);
    }
    return payload;
  });
}

const responseMismatch = (method: string, url: string | undefined, detail: string) =>
  new DomainError('response-mismatch', { status: 500 }, `${method} ${url}: the answer does not match its response schema: ${detail}`);
