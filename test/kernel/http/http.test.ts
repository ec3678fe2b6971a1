// The HTTP layer as an attacker meets it: forged cross-site requests, text the database cannot store,
// stack-deep JSON, huge offsets, oversized headers, stalled bodies, and the headers every answer carries.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createTestApp, ledgerCount, makeCast, testPassword, type TestApp } from '../../helpers/factories.ts';
import { apiPolicy, createHttp } from '../../../src/kernel/http/index.ts';
import { buildApp, consolePolicy } from '../../../src/server.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp();
  await makeCast(t.db);
});
after(() => t.close());

const problemType = 'application/problem+json; charset=utf-8';

test('a cookie-authenticated change from another origin of the same site is refused with 403 csrf, and nothing is written', async () => {
  const cookie = await t.login('admin');
  const issue = (headers: Record<string, string>) => t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers: { cookie, ...headers },
    payload: { name: 'etl', roles: ['officer'], divisionCode: '511600000000', validDays: 30 } });
  const forged: Record<string, string>[] = [
    { 'sec-fetch-site': 'same-site', origin: 'https://evil.example.gov.cn' },
    { 'sec-fetch-site': 'cross-site' },
    { origin: 'http://evil.localhost' },
    { origin: 'null' },
  ];
  for (const headers of forged) {
    const res = await issue(headers);
    assert.equal(res.statusCode, 403, JSON.stringify(headers));
    assert.equal(res.headers['content-type'], problemType);
    assert.equal(res.json().code, 'csrf');
  }
  assert.equal(await ledgerCount(t.db, 'auth.token.issued'), 0);
  // The body-less logout is refused the same way: the session still answers afterwards.
  const logout = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'sec-fetch-site': 'same-site' } });
  assert.equal(logout.statusCode, 403);
  assert.equal((await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie, 'sec-fetch-site': 'cross-site' } })).statusCode, 200, 'reads pass');

  // The console (same origin, or its header), a non-browser client and an origin matching the host all pass.
  const allowed: Record<string, string>[] = [
    { 'sec-fetch-site': 'same-origin', origin: 'http://localhost:80' },
    { 'x-yiwang-csrf': '1' },
    {},
    { origin: 'http://localhost' },
  ];
  for (const headers of allowed) assert.equal((await issue(headers)).statusCode, 201, JSON.stringify(headers));
  assert.equal(await ledgerCount(t.db, 'auth.token.issued'), allowed.length);

  // A bearer token is no ambient credential: it passes whatever the browser headers say.
  const token = (await issue({ 'x-yiwang-csrf': '1' })).json().token as string;
  const withBearer = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout',
    headers: { authorization: `Bearer ${token}`, cookie, 'sec-fetch-site': 'cross-site' } });
  assert.equal(withBearer.statusCode, 204);
});

test('a login posted from another site is refused without any cookie (login CSRF); the console and other clients sign in', async () => {
  const login = (headers: Record<string, string>) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers,
    payload: { username: 'admin', password: testPassword } });
  const sessionsBefore = Number((await t.db.query('SELECT count(*) AS n FROM sessions')).rows[0].n);
  const forged: Record<string, string>[] = [{ 'sec-fetch-site': 'cross-site' }, { 'sec-fetch-site': 'same-site' }, { origin: 'https://evil.example' }];
  for (const headers of forged) {
    const res = await login(headers);
    assert.equal(res.statusCode, 403, JSON.stringify(headers));
    assert.equal(res.json().code, 'csrf');
    assert.equal(res.headers['set-cookie'], undefined, 'no session cookie is set');
  }
  assert.equal(Number((await t.db.query('SELECT count(*) AS n FROM sessions')).rows[0].n), sessionsBefore, 'no session was opened');
  const allowed: Record<string, string>[] = [{ 'sec-fetch-site': 'same-origin' }, { 'x-yiwang-csrf': '1' }, {}];
  for (const headers of allowed) {
    const res = await login(headers);
    assert.equal(res.statusCode, 200, JSON.stringify(headers));
    assert.match(String(res.headers['set-cookie']), /yw_session=/);
  }
  // Other public posts (a citizen's report from a third-party Open311 client in a browser) are not login: they pass.
  const register = await t.app.inject({ method: 'POST', url: '/api/v1/auth/register', headers: { 'sec-fetch-site': 'cross-site' },
    payload: { username: 'u1', displayName: 'x', password: 'short', idNumber: '1' } });
  assert.notEqual(register.json().code, 'csrf');
});

test('NUL characters and unpaired surrogates are 400 invalid-text naming the field, in bodies, query strings and paths, even anonymous', async () => {
  const cases = [
    { method: 'POST' as const, url: '/api/v1/auth/login', payload: '{"username":"ad\\u0000min","password":"x"}', field: 'username' },
    { method: 'POST' as const, url: '/api/v1/auth/register', field: 'displayName',
      payload: '{"username":"u1","displayName":"\\ud83d","password":"Long-enough-2026","idNumber":"1"}' },
    { method: 'GET' as const, url: '/api/v1/services/items?q=%00', field: 'q' },
    { method: 'GET' as const, url: '/api/v1/hotline/photos/a%00b', field: 'id' },
  ];
  for (const c of cases) {
    const res = await t.app.inject({ method: c.method, url: c.url, payload: c.payload, headers: { 'content-type': 'application/json' } });
    assert.equal(res.statusCode, 400, `${c.url}: ${res.body}`);
    assert.equal(res.headers['content-type'], problemType);
    assert.deepEqual([res.json().code, res.json().field], ['invalid-text', c.field], c.url);
  }
  assert.equal(await ledgerCount(t.db, 'auth.citizen.registered'), 0);
  // A surrogate pair written as escapes (what ensure_ascii JSON encoders send) is an ordinary character.
  const pair = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' },
    payload: '{"username":"\\ud83d\\ude00","password":"x"}' });
  assert.equal(pair.statusCode, 401);
});

test('a NUL in a CSV import is 400 invalid-text, whichever module parses the CSV', async () => {
  const cookie = await t.login('admin');
  for (const [url, field] of [['/api/v1/services/items/import', 'body'], ['/api/v1/org/departments/import', '0.name'],
    ['/api/v1/hotline/import?layout=yiwang', 'csv']]) {
    const csv = url!.includes('org') ? 'code,name,divisionCode\nd-1,民政\u0000局,511600000000\n' : 'code,name\nx,a\u0000b\n';
    const res = await t.app.inject({ method: 'POST', url: url!, headers: { cookie, 'content-type': 'text/csv' }, payload: csv });
    assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
    assert.deepEqual([res.json().code, res.json().field], ['invalid-text', field], url);
  }
});

test('JSON nested 5,000 deep is 400 json-too-deep, not a stack overflow', async () => {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' },
    payload: `{"username":${'['.repeat(5000)}${']'.repeat(5000)},"password":"x"}` });
  assert.equal(res.statusCode, 400);
  assert.deepEqual([res.json().code, res.json().field], ['json-too-deep', 'body']);
});

test('offsets and ids beyond the integer range are 400 naming the field', async () => {
  const cookie = await t.login('admin');
  for (const [url, field] of [['/api/v1/users?offset=9223372036854775808', 'offset'], ['/api/v1/users/9223372036854775808', 'id'],
    ['/api/v1/users?departmentId=2147483648', 'departmentId'], ['/api/v1/services/items?offset=1e30', 'offset']]) {
    const res = await t.app.inject({ url: url!, headers: { cookie } });
    assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
    assert.deepEqual([res.json().code, res.json().field], ['validation', field], url);
  }
  assert.equal((await t.app.inject({ url: '/api/v1/users?offset=2147483647', headers: { cookie } })).statusCode, 200);
  const spec = (await t.app.inject({ url: '/openapi.json' })).json();
  assert.equal(spec.paths['/api/v1/users/{id}'].get.parameters[0].schema.maximum, 2 ** 31 - 1, 'the bound is documented');
});

test('every answer says nosniff, no framing, no referrer; API answers forbid loading anything, /docs has its own policy', async () => {
  for (const url of ['/healthz', '/api/v1/nothing', '/openapi.json']) {
    const res = await t.app.inject({ url });
    assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
    assert.equal(res.headers['x-frame-options'], 'DENY', url);
    assert.equal(res.headers['referrer-policy'], 'no-referrer', url);
    assert.equal(res.headers['content-security-policy'], apiPolicy, url);
  }
  const docs = await t.app.inject({ url: '/docs/' });
  const policy = String(docs.headers['content-security-policy']);
  assert.match(policy, /^default-src 'self'; script-src 'self';/);
  assert.match(policy, /frame-ancestors 'none'/);
  assert.match(consolePolicy, /script-src 'self';/);
  assert.doesNotMatch(consolePolicy, /unsafe-eval|script-src[^;]*unsafe-inline/);
});

test('a search for % or _ matches those characters, not every row', async () => {
  const cookie = await t.login('admin');
  const names = async (q: string) => ((await t.app.inject({ url: `/api/v1/users?q=${encodeURIComponent(q)}`, headers: { cookie } })).json()
    .items as { username: string }[]).map((u) => u.username).sort();
  assert.deepEqual(await names('_'), ['ga_admin', 'ga_officer', 'yc_officer']);
  assert.deepEqual(await names('%'), []);
  assert.deepEqual(await names('a_a'), ['ga_admin']);
});

test('per-address limits count the proxy unless YIWANG_TRUST_PROXY names it; then the forwarded client address', async () => {
  const failedFrom = async (app: typeof t.app) => {
    await app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'x-forwarded-for': '203.0.113.7' }, payload: { username: 'admin', password: 'wrong' } });
    return (await t.db.query<{ address: string }>(`SELECT address FROM address_limits WHERE scope = 'login' ORDER BY address`)).rows.map((r) => r.address);
  };
  assert.deepEqual(await failedFrom(t.app), ['127.0.0.1'], 'by default a forged X-Forwarded-For is ignored');
  const behindProxy = await buildApp({ db: t.db, trustProxy: ['127.0.0.1'] });
  try {
    assert.deepEqual(await failedFrom(behindProxy), ['127.0.0.1', '203.0.113.7']);
  } finally {
    await behindProxy.close();
  }
});

test('HTML pages get the page policy; a 304 revalidating a cached page carries none, so the cached policy stands', async () => {
  const app = createHttp({ logLevel: 'silent', htmlPolicy: consolePolicy });
  app.get('/page', async (req, reply) => (req.headers['if-none-match'] === '"v1"' ? reply.code(304).send() : reply.type('text/html').header('etag', '"v1"').send('<p>')));
  const page = await app.inject({ url: '/page' });
  assert.equal(page.headers['content-security-policy'], consolePolicy);
  const revalidated = await app.inject({ url: '/page', headers: { 'if-none-match': '"v1"' } });
  assert.equal(revalidated.statusCode, 304);
  assert.equal(revalidated.headers['content-security-policy'], undefined);
  await app.close();
});

test('scripts get the page policy too: a worker runs under its script\'s (the map\'s worker fetches vector tiles)', async () => {
  const app = createHttp({ logLevel: 'silent', htmlPolicy: consolePolicy });
  app.get('/worker.mjs', async (_req, reply) => reply.type('text/javascript; charset=utf-8').send('self.onmessage = () => undefined;'));
  app.get('/data', async () => ({ ok: true }));
  assert.equal((await app.inject({ url: '/worker.mjs' })).headers['content-security-policy'], consolePolicy);
  assert.equal((await app.inject({ url: '/data' })).headers['content-security-policy'], apiPolicy);
  await app.close();
});

/** Sends raw bytes to a listening app and returns what it answers before closing. */
async function raw(port: number, request: string, opts: { keepOpen?: boolean } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let answer = '';
    socket.on('data', (chunk) => { answer += chunk.toString(); });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
    if (!opts.keepOpen) socket.setTimeout(5_000, () => socket.destroy());
  });
}

test('headers beyond Node\'s limit and a body that never completes get problem+json answers, quickly', async () => {
  const app = createHttp({ logLevel: 'silent', headersTimeoutMs: 300, requestTimeoutMs: 600 });
  app.post('/echo', async (req) => req.body);
  await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const port = (app.server.address() as net.AddressInfo).port;
    const huge = await raw(port, `GET /echo HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.match(huge, /^HTTP\/1\.1 431 /);
    assert.match(huge, /content-type: application\/problem\+json/);
    assert.equal(JSON.parse(huge.slice(huge.indexOf('\r\n\r\n') + 4)).code, 'headers-too-large');
    const longUrl = await raw(port, `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nhost: x\r\n\r\n`);
    assert.match(longUrl, /^HTTP\/1\.1 431 /);

    const started = Date.now();
    const stalled = await raw(port, 'POST /echo HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"a":', { keepOpen: true });
    assert.match(stalled, /^HTTP\/1\.1 408 /);
    assert.equal(JSON.parse(stalled.slice(stalled.indexOf('\r\n\r\n') + 4)).code, 'request-timeout');
    assert.ok(Date.now() - started < 3_000, `cut after ${Date.now() - started} ms`);
  } finally {
    await app.close();
  }
});

test('a path parameter beyond the router\'s length limit is 414 problem+json', async () => {
  const res = await t.app.inject({ url: `/api/v1/users/${'1'.repeat(200)}` });
  assert.equal(res.statusCode, 414);
  assert.equal(res.headers['content-type'], problemType);
  assert.equal(res.json().code, 'uri-too-long');
});
