// Input guards that keep text PostgreSQL cannot store, stack-deep JSON and out-of-range integers out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Type from 'typebox';
import { assertStorable, boundIntegers, maxInteger, maxJsonDepth, scanJson, unstorableTextAt } from '../../../src/kernel/http/input.ts';
import { DomainError } from '../../../src/kernel/errors.ts';

test('scanJson refuses nesting beyond the limit, counts only outside strings, and reports \\u escapes', () => {
  assert.deepEqual(scanJson(`${'['.repeat(maxJsonDepth)}${']'.repeat(maxJsonDepth)}`), { escapes: false });
  assert.throws(() => scanJson(`${'['.repeat(maxJsonDepth + 1)}${']'.repeat(maxJsonDepth + 1)}`),
    (e: DomainError) => e.code === 'json-too-deep' && e.details.field === 'body' && e.status === 400);
  assert.throws(() => scanJson('{"a":'.repeat(5000)), (e: DomainError) => e.code === 'json-too-deep');
  // Brackets inside strings, and escaped quotes before them, are text.
  assert.deepEqual(scanJson(JSON.stringify({ a: '['.repeat(200), b: '"{{{{' })), { escapes: false });
  assert.deepEqual(scanJson('{"a":"\\u0000"}'), { escapes: true });
  assert.deepEqual(scanJson('{"a":"\\u4e2d"}'), { escapes: true });
  assert.deepEqual(scanJson(JSON.stringify({ a: '中文 \n' })), { escapes: false });
  // Many brackets, none deep: walked and passed.
  assert.deepEqual(scanJson(JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ i, tags: ['a'] })))), { escapes: false });
});

test('unstorableTextAt names the first value or key with U+0000 or an unpaired surrogate; pairs and Chinese pass', () => {
  const table: [unknown, string | undefined][] = [
    [{ name: '张三 😀', tags: ['a', 'b'] }, undefined],
    [{ name: 'a\u0000b' }, 'name'],
    [{ form: { items: [{ note: 'x' }, { note: '\ud800' }] } }, 'form.items.1.note'],
    [{ form: { 'k\u0000': 1 } }, 'form.k\u0000'],
    [{ low: 'x\udc00y' }, 'low'],
    [{ reversed: '\ude00\ud83d' }, 'reversed'],
    ['\u0000', 'body'],
    [42, undefined],
    [null, undefined],
  ];
  for (const [value, expected] of table) assert.equal(unstorableTextAt(value, ''), expected, JSON.stringify(value));
  assert.throws(() => assertStorable({ q: 'a\u0000' }), (e: DomainError) => e.code === 'invalid-text' && e.details.field === 'q' && e.status === 400);
  assert.doesNotThrow(() => assertStorable(undefined));
});

test('boundIntegers gives unbounded integers the integer column bound, keeps explicit bounds, reaches nested and shared schemas', () => {
  const Id = Type.Integer({ minimum: 1 });
  const schema = Type.Object({
    id: Id, again: Id, big: Type.Integer({ maximum: Number.MAX_SAFE_INTEGER }), page: Type.Integer({ maximum: 500 }),
    list: Type.Array(Type.Integer()), maybe: Type.Union([Type.Integer(), Type.Null()]), map: Type.Record(Type.String(), Type.Integer()),
    text: Type.String(), ratio: Type.Number(),
  }) as unknown as { properties: Record<string, Record<string, unknown> & { items?: { maximum?: number }; anyOf?: { maximum?: number }[] }> };
  boundIntegers(schema);
  const p = schema.properties;
  assert.equal(p.id!.maximum, maxInteger);
  assert.equal(p.again!.maximum, maxInteger);
  assert.equal(p.big!.maximum, Number.MAX_SAFE_INTEGER);
  assert.equal(p.page!.maximum, 500);
  assert.equal(p.list!.items!.maximum, maxInteger);
  assert.equal(p.maybe!.anyOf![0]!.maximum, maxInteger);
  assert.equal((Object.values(p.map!.patternProperties as Record<string, { maximum: number }>)[0])!.maximum, maxInteger);
  assert.equal(p.text!.maximum, undefined);
  assert.equal(p.ratio!.maximum, undefined);
});
