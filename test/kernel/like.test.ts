// LIKE patterns from user text take %, _ and \ literally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { containsPattern, prefixPattern } from '../../src/kernel/like.ts';

test('containsPattern and prefixPattern escape %, _ and the backslash', () => {
  const table: [string, string, string][] = [
    ['张三', '%张三%', '张三%'],
    ['50%', '%50\\%%', '50\\%%'],
    ['a_b', '%a\\_b%', 'a\\_b%'],
    ['c:\\x', '%c:\\\\x%', 'c:\\\\x%'],
  ];
  for (const [text, contains, prefix] of table) {
    assert.equal(containsPattern(text), contains, text);
    assert.equal(prefixPattern(text), prefix, text);
  }
});
