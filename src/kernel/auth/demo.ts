/**
 * The demo city's accounts: one for every demo staff member and a few citizens.
 *
 * The demo logins (demoLogins) and the citizens have the password `Yiwang@2026` (demoPassword), hashed
 * for each account with its own salt; it is printed at start: the demo is for trying the platform, never
 * for real data. The other generated staff have no password yet (`!`, which matches none), as accounts an
 * admin has created but not yet handed over; an admin gives them one with a password reset. That keeps
 * the first start from spending seconds on hundreds of deliberately slow hashes.
 */
import { divisionPrefix, residentIdCheckChar } from '../checks/index.ts';
import type { Role } from '../demo/city.ts';
import { personName, type Sex } from '../demo/names.ts';
import { createRng } from '../demo/rng.ts';
import type { DemoCity } from '../demo/city.ts';
import type { DemoContext } from '../module.ts';
import { hashPassword } from './passwords.ts';

export const demoPassword = 'Yiwang@2026';

/** A password hash no password matches: the account exists, its holder has not been given a password. */
const noPasswordYet = '!';

/**
 * The logins the walkthroughs use, printed at start with what each should try first (work the demo leaves
 * waiting for them). Every other demo account is `<dept>_<county>_<n>`.
 */
/** A demo login printed at start (and in the README) with what to try first: work the demo leaves waiting. */
export interface DemoLogin {
  username: string;
  role: Role;
  description: string;
  tryFirst: string;
}

export const demoLogins: readonly DemoLogin[] = [
  { username: 'admin', role: 'platform_admin', description: '平台管理员 of 广安市: the whole city, every setting',
    tryFirst: '人员管理: reset a staff password; 目录审核: review a resource submitted for the catalogue' },
  { username: 'ga_admin', role: 'dept_admin', description: '广安区政数局 admin: departments and staff of 广安区',
    tryFirst: '人员管理: add a staff member to 广安区民政局; 事项管理: edit a service item' },
  { username: 'ga_officer', role: 'officer', description: '广安区民政局 officer: sees 广安区 only',
    tryFirst: '工单队列: sign for (签收) a 低保/养老 ticket waiting for 广安区民政局, then reply' },
  { username: 'yc_officer', role: 'officer', description: '岳池县民政局 officer: sees 岳池县 only',
    tryFirst: '工单队列: sign for (签收) a ticket waiting for 岳池县民政局, then reply; 督办事项: report progress on 特困供养人员冬季走访' },
  { username: 'data_officer', role: 'data_officer', description: '市政数局 data officer: catalogue and data sharing of 广安市',
    tryFirst: '共享申请: decide a pending request (就业困难人员认定); 调用日志: see who called which data' },
  { username: 'inspector', role: 'inspector', description: '市纪委监委 纪检 (discipline office): the ledger, risk alerts and integrity files of 广安市',
    tryFirst: '廉政档案: open an official\'s file; 数据铁笼·账本: check an entry\'s inclusion proof against the signed checkpoint' },
  { username: 'supervisor', role: 'inspector', description: '市政数局 监督员 (inspector): risk alerts and the rule library of 广安市',
    tryFirst: '风险预警: open an alert, verify its proof in the page, confirm it or open a case; 预警规则库: dry-run a rule' },
  { username: 'hotline', role: 'officer', description: '12345热线 officer: tickets across 广安市',
    tryFirst: '12345 受理台: take a call; 审核: tickets returned by departments; 回访: call back the closed ones; 督办事项: the centre\'s own task' },
  { username: 'citizen1', role: 'citizen', description: '市民 (citizen): the portal, own applications, who used my data',
    tryFirst: '我的诉求: two reports and their progress; 我的数据使用记录: who used my data, and why' },
];

const CITIZEN_COUNT = 5;

interface DemoCitizen {
  username: string;
  displayName: string;
  idNumber: string;
  phone: string;
}

const countyCodesOf = (city: DemoCity) => city.divisions.filter((d) => d.level === 'county').map((d) => d.code12);

/** A few citizens with valid resident IDs (GB 11643) issued in the demo city's counties. */
function demoCitizens(seed: string, city: DemoCity): DemoCitizen[] {
  const countyCodes = countyCodesOf(city);
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

export async function loadAuthDemo({ tx, seed, city, password }: DemoContext) {
  const citizens = demoCitizens(seed, city);
  const withPassword = new Set([...demoLogins.map((l) => l.username), ...citizens.map((c) => c.username)]);
  // scrypt runs in libuv's thread pool, so these hash on every core while the departments are looked up.
  const hashing = Promise.all([...city.staff, ...citizens].map((a) => (withPassword.has(a.username) ? hashPassword(password) : Promise.resolve(noPasswordYet))));
  const { rows: departments } = await tx.query<{ id: number; code: string; divisionCode: string }>(
    'SELECT id, code, division_code AS "divisionCode" FROM departments WHERE code = ANY($1)', [city.departments.map((d) => d.code)]);
  const departmentOf = new Map(departments.map((row) => [row.code, row]));
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
  return { staff: city.staff.length, citizens: citizens.length };
}

/** Removes the city's staff (their sessions go with them) and API tokens, and the demo citizens. */
export async function resetAuthDemo({ tx, seed, city, cityCode }: DemoContext) {
  const under = `${divisionPrefix(cityCode)}%`;
  const citizens = demoCitizens(seed, city).map((c) => c.username);
  const deleted = async (sql: string, params: unknown[]) => (await tx.query(sql, params)).rowCount ?? 0;
  return {
    apiTokens: await deleted('DELETE FROM api_tokens WHERE division_code LIKE $1', [under]),
    // Sessions go with their users (ON DELETE CASCADE).
    users: await deleted(`DELETE FROM users WHERE division_code LIKE $1 OR (kind = 'citizen' AND username = ANY($2))`, [under, citizens]),
  };
}
