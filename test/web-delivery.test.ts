// How the console's files and the API's answers travel: compressed, hashed files cached for a year, the app shell never.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createTestDb, type TestDb } from './helpers/db.ts';
import { buildApp } from '../src/server.ts';
import { webDist } from '../src/web-build.ts';
import type { App } from '../src/kernel/http/index.ts';

let t: TestDb;
let app: App;
before(async () => {
  t = await createTestDb();
  app = await buildApp({ db: t.db, serveWeb: true });
});
after(async () => { await app.close(); await t.drop(); });

const get = (url: string, encoding?: string) => app.inject({ method: 'GET', url, headers: encoding ? { 'accept-encoding': encoding } : {} });
// The map library's chunk: large and stable, where compression shows (a page's own chunk may be a few KiB).
const asset = (prefix: string) => `/assets/${fs.readdirSync(path.join(webDist, 'assets')).find((f) => f.startsWith(prefix) && f.endsWith('.js'))}`;

test('hashed assets: brotli or gzip as the browser accepts, from the build, cached as immutable', async () => {
  const url = asset('maplibre-gl-');
  const plain = await get(url);
  const br = await get(url, 'br, gzip');
  const gz = await get(url, 'gzip');
  assert.deepEqual([br.statusCode, br.headers['content-encoding'], gz.headers['content-encoding'], plain.headers['content-encoding']], [200, 'br', 'gzip', undefined]);
  for (const res of [plain, br, gz]) assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.match(String(br.headers.vary), /accept-encoding/i);
  assert.ok(br.rawPayload.length < plain.rawPayload.length / 3, `brotli ${br.rawPayload.length} of ${plain.rawPayload.length} bytes`);
});

test('the app shell (/, any console path) is compressed and never cached without asking', async () => {
  for (const url of ['/', '/report']) {
    const res = await get(url, 'br, gzip');
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /text\/html/);
    assert.equal(res.headers['cache-control'], 'no-cache', url);
  }
});

test('API answers are compressed when accepted', async () => {
  const res = await get('/openapi.json', 'br');
  assert.equal(res.headers['content-encoding'], 'br');
  assert.equal((await get('/openapi.json')).headers['content-encoding'], undefined);
});
