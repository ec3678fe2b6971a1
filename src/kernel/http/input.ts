/**
 * Guards on input before any schema or command sees it: text PostgreSQL cannot store (U+0000, unpaired
 * surrogates), JSON nested deep enough to exhaust the stack, and integers beyond what the database takes.
 */
import { DomainError } from '../errors.ts';

/** Deepest JSON nesting a body may have; no form of ours comes near it. */
export const maxJsonDepth = 64;
/** The bound of integers whose schema gives none: PostgreSQL's `integer` (ids, counts, offsets). */
export const maxInteger = 2 ** 31 - 1;

const invalidText = (field: string) =>
  new DomainError('invalid-text', { field }, `${field}: contains a NUL character or an unpaired surrogate`);

// In a `u` regex a surrogate pair is one code point, so \p{Cs} matches only unpaired halves.
// eslint-disable-next-line no-control-regex -- NUL is exactly what PostgreSQL cannot store
const unstorable = /[\u0000\p{Cs}]/u;
const storable = (text: string) => !unstorable.test(text);

/** The path (`a.b.0`) of the first string, key or value, PostgreSQL could not store as text; undefined when all are fine. */
export function unstorableTextAt(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return storable(value) ? undefined : path || 'body';
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (!storable(key)) return at;
    const found = unstorableTextAt(inner, at);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** How many `{` and `[` the text holds, counting no further than `limit + 1`. */
function openings(text: string, limit: number): number {
  let n = 0;
  for (const bracket of ['{', '['])
    for (let i = text.indexOf(bracket); i >= 0 && n <= limit; i = text.indexOf(bracket, i + 1)) n++;
  return n;
}

/** Walks the text, brackets inside strings skipped, and refuses nesting deeper than `maxJsonDepth`. */
function assertDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxJsonDepth)
        throw new DomainError('json-too-deep', { field: 'body', maxDepth: maxJsonDepth }, `JSON nested deeper than ${maxJsonDepth} levels`);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
}

/**
 * Checks a JSON text before it is parsed, with the engine's native string search for the common case:
 * nesting deeper than `maxJsonDepth` is refused (only a text with more brackets than that is walked), and
 * `escapes` tells whether the text holds `\u`. A NUL or a lone surrogate can only arrive through such an
 * escape (JSON forbids raw control characters, and invalid UTF-8 decodes to U+FFFD), so bodies without one
 * never need the walk over their strings.
 */
export function scanJson(text: string): { escapes: boolean } {
  if (openings(text, maxJsonDepth) > maxJsonDepth) assertDepth(text);
  return { escapes: text.includes('\\u') };
}

/** Refuses a parsed body, query string or path parameters holding text PostgreSQL cannot store, naming the field. */
export function assertStorable(input: unknown): void {
  const at = unstorableTextAt(input, '');
  if (at !== undefined) throw invalidText(at);
}

type JsonSchema = Record<string, unknown>;

/**
 * Gives every integer of a route schema without a `maximum` the bound of PostgreSQL's `integer`, so an id
 * or offset of 2^63 is a 400 naming the field rather than an out-of-range error from the database. Schemas
 * of BIGINT values say `maximum: Number.MAX_SAFE_INTEGER` themselves. Shared schema objects are bounded
 * once; the OpenAPI document shows the bound.
 */
export function boundIntegers(schema: unknown, seen = new Set<unknown>()): void {
  if (typeof schema !== 'object' || schema === null || seen.has(schema)) return;
  seen.add(schema);
  const s = schema as JsonSchema;
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes('integer') && s.maximum === undefined && s.exclusiveMaximum === undefined) s.maximum = maxInteger;
  for (const key of ['properties', 'patternProperties', '$defs', 'definitions'] as const)
    if (s[key] && typeof s[key] === 'object') for (const inner of Object.values(s[key] as JsonSchema)) boundIntegers(inner, seen);
  for (const key of ['items', 'additionalProperties', 'not', 'if', 'then', 'else'] as const) boundIntegers(s[key], seen);
  for (const key of ['anyOf', 'oneOf', 'allOf', 'prefixItems'] as const)
    if (Array.isArray(s[key])) for (const inner of s[key] as unknown[]) boundIntegers(inner, seen);
}
