// Settings read from the environment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTrustProxy } from '../../src/kernel/config/index.ts';

test('YIWANG_TRUST_PROXY: off by default, a hop count, or proxy addresses and ranges; anything else stops the start naming it', () => {
  const table: [string | undefined, unknown][] = [
    [undefined, false], ['', false], ['false', false], ['1', 1], ['2', 2],
    ['10.0.0.5', ['10.0.0.5']], [' 10.0.0.5 , 10.1.0.0/16,fd00::/8 ', ['10.0.0.5', '10.1.0.0/16', 'fd00::/8']],
    ['loopback,uniquelocal', ['loopback', 'uniquelocal']],
  ];
  for (const [raw, expected] of table) assert.deepEqual(parseTrustProxy(raw), expected, String(raw));
  for (const bad of ['true', 'proxy.example', '10.0.0.0/33', '10.0.0.1/8/1', '::1/129', '*'])
    assert.throws(() => parseTrustProxy(bad), new RegExp(`YIWANG_TRUST_PROXY.*"${bad.replace(/[*.]/g, '\\$&')}"`), bad);
});
