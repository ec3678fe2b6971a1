/**
 * Loads the demo city 广安市 (see city.ts) into the database: its divisions, departments and grids, an
 * account for every demo staff member and a few citizens, and the official holidays. One transaction,
 * as the system actor `demo`, in bulk statements. The kernel_settings row `demo` remembers the seed, so
 * starting again does not load it twice.
 *
 * The demo logins (demoLogins) and the citizens have the password `Yiwang@2026` (demoPassword), hashed
 * for each account with its own salt; it is printed at start: the demo is for trying the platform, never
 * for real data. The other generated staff have no password yet (`!`, which matches none), as accounts an
 * admin has created but not yet handed over; an admin gives them one with a password reset. That keeps
 * the first start from spending seconds on hundreds of deliberately slow hashes.
 */
import { divisionPrefix, residentIdCheckChar } from '../src/kernel/checks/index.ts';
import { hashPassword, systemActor } from '../src/kernel/auth/index.ts';
import { seedOfficialHolidays } from '../src/kernel/calendar/index.ts';
import { withTransaction, type Db, type Queryable, type Tx } from '../src/kernel/db/index.ts';
import { appendToLedger } from '../src/kernel/ledger/index.ts';
import { loadHotlineDemo, loadHotlineOpsDemo, removeHotlineDemo } from '../src/hotline/index.ts';
import { loadServicesDemo, removeServicesDemo } from '../src/services/demo.ts';
import { loadCredentialDemo, removeCredentialDemo } from '../src/services/credentials/index.ts';
import { loadHubDemo, removeHubDemo } from '../src/hub/index.ts';
import { loadHubExchangeDemo, removeHubExchangeDemo } from '../src/hub/exchange-demo.ts';
import { generateCity, type DemoCity, type Role } from './city.ts';
import { personName, type Sex } from './names.ts';
import { createRng } from './rng.ts';

export const demoPassword = 'Yiwang@2026';

export const demoLedgerActions = {
  'demo.loaded': { zh: '载入演示城市', en: 'Demo city loaded' },
  'demo.removed': { zh: '移除演示城市', en: 'Demo city removed' },
};
/** A password hash no password matches: the account exists, its holder has not been given a password. */
const noPasswordYet = '!';

/** The logins the walkthroughs use, printed at start. Every other demo account is `<dept>_<county>_<n>`. */
export const demoLogins: readonly { username: string; role: Role; description: string }[] = [
  { username: 'admin', role: 'platform_admin', description: '平台管理员 of 广安市: the whole city, every setting' },
  { username: 'ga_admin', role: 'dept_admin', description: '广安区政数局 admin: departments and staff of 广安区' },
  { username: 'ga_officer', role: 'officer', description: '广安区民政局 officer: sees 广安区 only' },
  { username: 'yc_officer', role: 'officer', description: '岳池县民政局 officer: sees 岳池县 only' },
  { username: 'data_officer', role: 'data_officer', description: '市政数局 data officer: catalogue and data sharing of 广安市' },
  { username: 'inspector', role: 'inspector', description: '市纪委监委 inspector: the ledger of all of 广安市' },
  { username: 'hotline', role: 'officer', description: '12345热线 officer: tickets across 广安市' },
  { username: 'citizen1', role: 'citizen', description: '市民 (citizen): the portal, own applications, who used my data' },
];

const CITIZEN_COUNT = 5;
// Keeps two processes starting at once from both loading the demo.
const DEMO_LOCK = 7103;
const demoActor = systemActor('demo');

interface DemoCitizen {
  username: string;
  displayName: string;
  idNumber: string;
  phone: string;
}

/** A few citizens with valid resident IDs (GB 11643) issued in the demo city's counties. */
function demoCitizens(seed: string, countyCodes: readonly string[]): DemoCitizen[] {
  const rng = createRng(`${seed}/citizens`);
  return Array.from({ length: CITIZEN_COUNT }, (_, i): DemoCitizen => {
    const sex: Sex = i % 2 === 0 ? 'female' : 'male';
    const birth = `${rng.int(1950, 2005)}${String(rng.int(1, 12)).padStart(2, '0')}${String(rng.int(1, 28)).padStart(2, '0')}`;
    // The sequence number is odd for men and even for women; i keeps the IDs distinct.
    const sequence = String(rng.int(0, 49) * 20 + i * 2 + (sex === 'male' ? 1 : 0)).padStart(3, '0');
    const first17 = `${rng.pick(countyCodes).slice(0, 6)}${birth}${sequence}`;
    return {
      username: `citizen${i + 1}`,
      displayName: personName(rng, sex),
      idNumber: first17 + residentIdCheckChar(first17),
      phone: `1${rng.pick(['38', '39', '58', '77', '86'])}${String(rng.int(0, 99_999_999)).padStart(8, '0')}`,
    };
  });
}

const countyCodesOf = (city: DemoCity) => city.divisions.filter((d) => d.level === 'county').map((d) => d.code12);

export type DemoSummary =
  | { skipped: true; seed: string; loadedAt: string }
  | { skipped: false; seed: string; divisions: number; departments: number; grids: number; staff: number; citizens: number; holidayYears: number[];
      hotlineTickets: number };

/** The seed and time of the demo in the database, or null when none was loaded. */
export async function demoLoaded(db: Queryable): Promise<{ seed: string; loadedAt: string } | null> {
  const { rows } = await db.query<{ value: { seed: string; loadedAt: string } }>(`SELECT value FROM kernel_settings WHERE name = 'demo'`);
  return rows[0]?.value ?? null;
}

/** Loads the demo city unless one is loaded already (then says so and changes nothing). */
export async function loadDemoCity(db: Db, opts: { seed: string; password?: string }): Promise<DemoSummary> {
  return withTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [DEMO_LOCK]);
    const loaded = await demoLoaded(tx);
    if (loaded) return { skipped: true, ...loaded };
    return insertCity(tx, opts.seed, opts.password ?? demoPassword);
  });
}

/**
 * `yiwang demo`: removes the loaded demo (its divisions and everything in them: departments, grids,
 * staff and their sessions and API tokens, and the demo citizens) and loads the city of `seed`, in one
 * transaction. The ledger keeps its entries: it is append-only, and the removal is one more entry.
 */
export async function resetDemoCity(db: Db, seed: string): Promise<DemoSummary> {
  return withTransaction(db, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [DEMO_LOCK]);
    const loaded = await demoLoaded(tx);
    if (loaded) await removeCity(tx, loaded.seed);
    return insertCity(tx, seed, demoPassword);
  });
}

const cityCodeOf = (city: DemoCity) => city.divisions.find((d) => d.level === 'city')!.code12;

async function removeCity(tx: Tx, seed: string): Promise<void> {
  const city = generateCity(seed);
  const under = `${divisionPrefix(cityCodeOf(city))}%`;
  // Tickets point at departments and divisions, so they go first.
  await removeHotlineDemo(tx, cityCodeOf(city));
  await removeServicesDemo(tx, cityCodeOf(city));
  await removeCredentialDemo(tx, cityCodeOf(city));
  await removeHubExchangeDemo(tx, cityCodeOf(city));
  await removeHubDemo(tx, cityCodeOf(city));
  const citizens = demoCitizens(seed, countyCodesOf(city)).map((c) => c.username);
  const deleted = async (sql: string, params: unknown[]) => (await tx.query(sql, params)).rowCount ?? 0;
  const removed = {
    apiTokens: await deleted('DELETE FROM api_tokens WHERE division_code LIKE $1', [under]),
    // Sessions go with their users (ON DELETE CASCADE).
    users: await deleted(`DELETE FROM users WHERE division_code LIKE $1 OR (kind = 'citizen' AND username = ANY($2))`, [under, citizens]),
    grids: await deleted('DELETE FROM grids WHERE division_code LIKE $1', [under]),
    departments: await deleted('DELETE FROM departments WHERE division_code LIKE $1', [under]),
    // The province stays when something else hangs off it: another city, or a department of its own.
    divisions: await deleted('DELETE FROM divisions WHERE code LIKE $1', [under]) + await deleted(
      `DELETE FROM divisions p WHERE code = ANY($1)
         AND NOT EXISTS (SELECT 1 FROM divisions c WHERE c.parent_code = p.code)
         AND NOT EXISTS (SELECT 1 FROM departments d WHERE d.division_code = p.code)`,
      [city.divisions.filter((d) => d.level === 'province').map((d) => d.code12)]),
  };
  await tx.query(`DELETE FROM kernel_settings WHERE name = 'demo'`);
  await appendToLedger(tx, { actor: demoActor, action: 'demo.removed', object: { type: 'demo', id: seed }, payload: removed });
}

async function insertCity(tx: Tx, seed: string, password: string): Promise<DemoSummary> {
  const city = generateCity(seed);
  const citizens = demoCitizens(seed, countyCodesOf(city));
  const withPassword = new Set(demoLogins.map((l) => l.username));
  // scrypt runs in libuv's thread pool, so these hash on every core while the rows below go in.
  const hashing = Promise.all([...city.staff, ...citizens].map((a) =>
    withPassword.has(a.username) || citizens.includes(a as DemoCitizen) ? hashPassword(password) : Promise.resolve(noPasswordYet)));

  const geometryOf = new Map(city.divisionGeometry.map((cell) => [cell.divisionCode12, JSON.stringify(cell.geometry)]));
  const d = city.divisions;
  await tx.query(
    `INSERT INTO divisions (code, name, level, parent_code, generated, geometry)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::jsonb[])`,
    [d.map((x) => x.code12), d.map((x) => x.name), d.map((x) => x.level), d.map((x) => x.parentCode12), d.map((x) => x.generated),
      d.map((x) => geometryOf.get(x.code12) ?? null)]);

  const p = city.departments;
  const { rows: departments } = await tx.query<{ id: number; code: string; divisionCode: string }>(
    `INSERT INTO departments (code, name, short_name, kind, division_code)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
     RETURNING id, code, division_code AS "divisionCode"`,
    [p.map((x) => x.code), p.map((x) => x.name), p.map((x) => x.shortName), p.map((x) => x.kind), p.map((x) => x.divisionCode12)]);
  const departmentOf = new Map(departments.map((row) => [row.code, row]));

  const g = city.grids;
  await tx.query(
    `INSERT INTO grids (code, name, division_code, schematic, geometry)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[], $5::jsonb[])`,
    [g.map((x) => x.code), g.map((x) => x.name), g.map((x) => x.divisionCode12), g.map((x) => x.schematic), g.map((x) => JSON.stringify(x.geometry))]);

  const hashes = await hashing;
  const accounts = [
    ...city.staff.map((s) => {
      const department = departmentOf.get(s.departmentCode)!;
      return { username: s.username, displayName: s.displayName, kind: 'staff', departmentId: department.id,
        divisionCode: department.divisionCode, roles: s.roles, idNumber: null, phone: null };
    }),
    ...citizens.map((c) => ({ username: c.username, displayName: c.displayName, kind: 'citizen', departmentId: null,
      divisionCode: null, roles: ['citizen'], idNumber: c.idNumber, phone: c.phone })),
  ];
  // Roles go in joined: unnest would flatten an array of arrays.
  await tx.query(
    `INSERT INTO users (username, display_name, kind, password_hash, department_id, division_code, roles, id_number, phone)
     SELECT u.username, u.display_name, u.kind, u.hash, u.department_id, u.division_code, string_to_array(u.roles, ','), u.id_number, u.phone
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[])
         AS u (username, display_name, kind, hash, department_id, division_code, roles, id_number, phone)`,
    [accounts.map((a) => a.username), accounts.map((a) => a.displayName), accounts.map((a) => a.kind), hashes,
      accounts.map((a) => a.departmentId), accounts.map((a) => a.divisionCode), accounts.map((a) => a.roles.join(',')),
      accounts.map((a) => a.idNumber), accounts.map((a) => a.phone)]);

  const holidayYears = await seedOfficialHolidays(tx);
  const hotline = await loadHotlineDemo(tx, { seed, cityCode: cityCodeOf(city) });
  await loadHotlineOpsDemo({ tx, actor: demoActor, now: new Date() });
  await loadHubDemo(tx, { seed, cityCode: cityCodeOf(city) });
  await loadHubExchangeDemo(tx, { seed, cityCode: cityCodeOf(city) });
  await loadServicesDemo(tx, { seed });
  await loadCredentialDemo(tx);
  const summary = {
    skipped: false as const, seed, divisions: d.length, departments: p.length, grids: g.length,
    staff: city.staff.length, citizens: citizens.length, holidayYears, hotlineTickets: hotline.tickets,
  };
  await tx.query(`INSERT INTO kernel_settings (name, value) VALUES ('demo', $1)`,
    [JSON.stringify({ seed, loadedAt: new Date().toISOString() })]);
  await appendToLedger(tx, { actor: demoActor, action: 'demo.loaded', object: { type: 'demo', id: seed }, payload: summary });
  return summary;
}
