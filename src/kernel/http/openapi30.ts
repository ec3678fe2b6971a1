/**
 * The API description as OpenAPI 3.0, for the documentation page only. Swagger UI reads a 3.1 document
 * through a much slower parser (about 20 s for this API's, against 5 s for the same as 3.0), so the page is
 * given the 3.0 spelling of the few JSON Schema 2020 forms the routes use; `/openapi.json` stays 3.1.
 */
export function asOpenApi30(spec: Record<string, unknown>): Record<string, unknown> {
  return { ...(downgrade(spec) as Record<string, unknown>), openapi: '3.0.3' };
}

function downgrade(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(downgrade);
  if (value === null || typeof value !== 'object') return value;
  const schema: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) schema[key] = downgrade(inner);
  // `anyOf: [X, { type: 'null' }]` is 3.0's `nullable: true` on X.
  if (Array.isArray(schema.anyOf) && schema.anyOf.some(isNull)) {
    const rest = (schema.anyOf as unknown[]).filter((s) => !isNull(s));
    delete schema.anyOf;
    Object.assign(schema, rest.length === 1 ? rest[0] as object : { anyOf: rest }, { nullable: true });
  }
  // A number here is a boolean beside `minimum` in 3.0.
  if (typeof schema.exclusiveMinimum === 'number') Object.assign(schema, { minimum: schema.exclusiveMinimum, exclusiveMinimum: true });
  if (typeof schema.exclusiveMaximum === 'number') Object.assign(schema, { maximum: schema.exclusiveMaximum, exclusiveMaximum: true });
  // A tuple is shown as an array of any of its members.
  if (Array.isArray(schema.prefixItems)) {
    schema.items = { anyOf: schema.prefixItems };
    delete schema.prefixItems;
  }
  return schema;
}

const isNull = (schema: unknown) => typeof schema === 'object' && schema !== null && (schema as { type?: unknown }).type === 'null';
