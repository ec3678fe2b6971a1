import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { systemActor, type Actor } from '../../src/kernel/auth/index.ts';
import type { Db, Queryable } from '../../src/kernel/db/index.ts';
import { withTransaction } from '../../src/kernel/db/index.ts';
import { createTicket, loadDemoCategories, setDispatchRule, type CreateTicket } from '../../src/hotline/index.ts';
import { trainOffThread, zhExamples } from '../../src/hotline/classifier/index.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { createTestApp, makeDivisions, makeStaff, type TestApp } from '../helpers/factories.ts';
import { rectangle, run, staffActor } from '../kernel/org/factories.ts';
import { grantsOf } from '../../src/kernel/auth/policy.ts';
import { jurisdictionOf, type Role } from '../../src/kernel/auth/actor.ts';

export { refusal, ledgerCount, run } from '../kernel/org/factories.ts';

/** A point inside the test grid of 浓洄街道 (广安区). */
export const inside = { lon: 106.63, lat: 30.47 };
/** A point in no grid. */
export const outside = { lon: 104.06, lat: 30.66 };

async function department(db: Queryable, code: string, name: string, kind: string, divisionCode: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO departments (code, name, kind, division_code) VALUES ($1, $2, $3, $4) RETURNING id::int', [code, name, kind, divisionCode]);
  return rows[0]!.id;
}

/** A staff actor of a department, as a login would resolve it. */
export function memberOf(departmentId: number, roles: Role[], root: string, id = `${departmentId}-${roles.join('+')}`): Actor {
  return { ...staffActor(roles, root), id, departmentId, grants: grantsOf(roles), jurisdiction: jurisdictionOf(root) };
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The model the first intake of a fresh database trains from the shipped examples (about ten seconds of CPU),
 * trained once and kept under data/test-cache, named by a hash of the examples and of the classifier's code,
 * so a change to either trains it again.
 */
async function shippedModel(): Promise<string> {
  const examples = zhExamples();
  const hash = crypto.createHash('sha256').update(JSON.stringify(examples));
  const code = path.join(root, 'src/hotline/classifier');
  for (const file of (await fs.readdir(code)).filter((f) => f.endsWith('.ts')).sort()) hash.update(await fs.readFile(path.join(code, file)));
  const file = path.join(root, 'data/test-cache', `classifier-${hash.digest('hex').slice(0, 16)}.json`);
  const cached = await fs.readFile(file, 'utf8').catch(() => null); // not trained yet: trained below
  if (cached) return cached;
  const { classifier, evaluation } = await trainOffThread(examples);
  const row = JSON.stringify({ model: classifier.toJSON(), examples: examples.length, accuracy: evaluation.accuracy,
    evaluation: { ...evaluation, shadow: { examples: 0, live: null, candidate: null } } });
  await fs.mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}`; // two files training at once each write whole, then one wins the rename
  await fs.writeFile(partial, row);
  await fs.rename(partial, file);
  return row;
}

/** Stores the shipped model as the one in use, as the first intake would (without its ledger entry). */
async function storeShippedModel(db: Queryable): Promise<void> {
  const row = JSON.parse(await shippedModel()) as { model: unknown; examples: number; accuracy: number; evaluation: unknown };
  await db.query(`INSERT INTO hotline_classifier_models (model, trained_at, example_count, accuracy, promoted, evaluation)
    VALUES ($1, now(), $2, $3, true, $4)`, [JSON.stringify(row.model), row.examples, row.accuracy, JSON.stringify(row.evaluation)]);
}

/**
 * The smallest hotline city: 广安区 with one grid, the 12345 centre, 广安区城市管理局 and 岳池县城市管理局,
 * the demo's category tree (城乡建设与管理 › 市容环卫 › 垃圾清运 …, the classifier's), the catalogue sending 城乡建设与管理 (CG) in
 * 广安区 to its 城市管理局, logins: operator (centre), handler (广安区城管), yc_handler (岳池县城管), and the classifier
 * trained from the shipped examples in use.
 */
export async function makeHotlineCity(db: Db, opts: { trainedModel?: boolean } = {}) {
  await makeDivisions(db);
  // With `trainedModel: false`, the first intake trains the model as it does on a fresh installation.
  if (opts.trainedModel !== false) await storeShippedModel(db);
  await db.query(`INSERT INTO grids (code, name, division_code, geometry) VALUES ('G-NH-1', '浓洄1号网格', '511602001000', $1)`,
    [JSON.stringify(rectangle(106.60, 30.44, 106.66, 30.50))]);
  const centreDept = await department(db, 'RX-5116', '广安市12345政务服务便民热线中心', 'hotline', '511600000000');
  const gaUrban = await department(db, 'CG-511602', '广安区城市管理综合执法局', 'urban-management', '511602000000');
  const ycUrban = await department(db, 'CG-511621', '岳池县城市管理综合执法局', 'urban-management', '511621000000');
  const operator = await makeStaff(db, { username: 'operator', roles: ['officer'], departmentId: centreDept });
  const handler = await makeStaff(db, { username: 'handler', roles: ['officer'], departmentId: gaUrban });
  const ycHandler = await makeStaff(db, { username: 'yc_handler', roles: ['officer'], departmentId: ycUrban });
  const seed = systemActor('test');
  await withTransaction(db, async (tx) => {
    const ctx = { tx, actor: seed, now: new Date() };
    await loadDemoCategories(ctx);
    await setDispatchRule(ctx, { categoryCode: 'CG', divisionPrefix: '511602', departmentId: gaUrban });
  });
  return {
    centreDept, gaUrban, ycUrban, operator, handler, ycHandler,
    actors: {
      operator: memberOf(centreDept, ['officer'], '511600000000', String(operator)),
      handler: memberOf(gaUrban, ['officer'], '511602000000', String(handler)),
      ycHandler: memberOf(ycUrban, ['officer'], '511621000000', String(ycHandler)),
      system: seed,
    },
  };
}

export const ticketInput = (overrides: Partial<CreateTicket> = {}): CreateTicket => ({
  channel: 'phone', kind: 'complaint', categoryCode: 'CG-SRHW-LJQY', description: '小区门口垃圾三天没人清运',
  ...inside, address: '广安区浓洄街道建设路12号', callerName: '张三', callerPhone: '13812345678', ...overrides,
});

/** A ticket received by `actor` (the system unless given). */
export function makeTicket(db: Db, overrides: Partial<CreateTicket> = {}, actor: Actor = systemActor('test')) {
  return run(db, actor, createTicket, ticketInput(overrides));
}

/**
 * A test file's database with the hotline city: made by a `before` hook, dropped after. Read `db` and
 * `city` inside tests (they exist once the hook has run).
 */
export function hotlineCityPerFile(opts: { trainedModel?: boolean } = {}): { readonly db: Db; readonly city: Awaited<ReturnType<typeof makeHotlineCity>> } {
  let testDb: TestDb | undefined;
  let city: Awaited<ReturnType<typeof makeHotlineCity>> | undefined;
  before(async () => {
    testDb = await createTestDb();
    city = await makeHotlineCity(testDb.db, opts);
  });
  after(() => testDb?.drop());
  return { get db() { return testDb!.db; }, get city() { return city!; } };
}

/**
 * A test file's platform over HTTP with the hotline city and `users` logged in (their cookies by name):
 * `call` sends a request under /api/v1/hotline as one of them, or anonymously. Made by a `before` hook,
 * which then runs `prepare` (a file's own setup), and closed after.
 */
export function hotlineAppPerFile(users: readonly string[], prepare?: () => Promise<void>) {
  let made: TestApp | undefined;
  let city: Awaited<ReturnType<typeof makeHotlineCity>> | undefined;
  const cookies: Record<string, string> = {};
  before(async () => {
    made = await createTestApp();
    city = await makeHotlineCity(made.db);
    for (const user of users) cookies[user] = await made.login(user);
    await prepare?.();
  });
  after(() => made?.close());
  return {
    get app() { return made!.app; },
    get db() { return made!.db; },
    get city() { return city!; },
    cookies,
    login: (username: string, password?: string) => made!.login(username, password),
    call: (method: 'GET' | 'POST' | 'PUT', url: string, user?: string, payload?: unknown) =>
      made!.app.inject({ method, url: `/api/v1/hotline${url}`, headers: user ? { cookie: cookies[user]! } : {},
        ...(payload === undefined ? {} : { payload: payload as object }) }),
  };
}
