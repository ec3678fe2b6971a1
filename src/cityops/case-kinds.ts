/**
 * 案件分类 and 派遣目录. A case is filed under a kind: a component kind (部件, code C + class + kind, e.g.
 * C0117 路灯) or an event kind (事件, E + class + kind, e.g. E0102 暴露垃圾). Each kind has its 立案条件 and
 * 结案条件 and a handling time limit per urgency, in working hours of the calendar or round the clock. The
 * dispatch catalogue names the department that handles a kind in an area; both are data the city edits.
 */
import type { Ctx } from '../kernel/auth/index.ts';
import { assertCan } from '../kernel/auth/index.ts';
import { divisionPrefix } from '../kernel/checks/index.ts';
import { readStamps, stampedCache, type Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { findDepartment } from '../kernel/org/index.ts';
import { listCatalogue } from './catalogue.ts';
import kindsJson from './data/case-kinds.json' with { type: 'json' };
import { assertDesk, cityopsActions } from './policy.ts';

export const urgencies = ['normal', 'urgent'] as const;
export type Urgency = (typeof urgencies)[number];

export interface CaseKind {
  code: string;
  type: 'component' | 'event';
  classNameZh: string;
  nameZh: string;
  nameEn: string;
  filingCondition: string;
  closingCondition: string;
  departmentKind: string | null;
  normalHours: number;
  normalRoundClock: boolean;
  urgentHours: number;
  urgentRoundClock: boolean;
  active: boolean;
}

/** Where the event kinds and the default conditions and limits come from, as the data file says. */
export const caseKindsSource: string = kindsJson.source;

type Limit = [number, boolean];

/**
 * Adds the kinds the database lacks: every component kind of the component catalogue (with the
 * conditions and limits the data file gives it, else the defaults) and the event kinds. Edits stay.
 */
export async function prepareCaseKinds(db: Queryable): Promise<void> {
  const components = (await listCatalogue(db)).flatMap((c) => c.kinds.map((k) => ({ ...k, className: c.nameZh })));
  const d = kindsJson.componentDefaults;
  const overrides = kindsJson.components as unknown as Record<string, { filing: string; closing: string; normal: Limit; urgent: Limit }>;
  const rows = [
    ...components.map((k) => {
      const o = overrides[`${k.classCode}${k.code}`];
      return { code: `C${k.classCode}${k.code}`, type: 'component', className: k.className, zh: k.nameZh, en: k.nameEn, filing: o?.filing ?? d.filing,
        closing: o?.closing ?? d.closing, department: k.departmentKind, normal: (o?.normal ?? d.normal) as Limit, urgent: (o?.urgent ?? d.urgent) as Limit };
    }),
    ...kindsJson.events.map((e) => ({ code: e.code, type: 'event', className: (kindsJson.classes as Record<string, string>)[e.code.slice(1, 3)]!,
      zh: e.zh, en: e.en, filing: e.filing, closing: e.closing, department: e.department, normal: e.normal as Limit, urgent: e.urgent as Limit })),
  ];
  await db.query(
    `INSERT INTO cityops_case_kinds (code, type, class_name_zh, name_zh, name_en, filing_condition, closing_condition, department_kind,
       normal_hours, normal_round_clock, urgent_hours, urgent_round_clock)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::numeric[],
       $10::boolean[], $11::numeric[], $12::boolean[]) ON CONFLICT DO NOTHING`,
    [rows.map((r) => r.code), rows.map((r) => r.type), rows.map((r) => r.className), rows.map((r) => r.zh), rows.map((r) => r.en),
      rows.map((r) => r.filing), rows.map((r) => r.closing), rows.map((r) => r.department), rows.map((r) => r.normal[0]),
      rows.map((r) => r.normal[1]), rows.map((r) => r.urgent[0]), rows.map((r) => r.urgent[1])]);
}

const kindColumns = `code, type, class_name_zh AS "classNameZh", name_zh AS "nameZh", name_en AS "nameEn", filing_condition AS "filingCondition",
  closing_condition AS "closingCondition", department_kind AS "departmentKind", normal_hours::float8 AS "normalHours",
  normal_round_clock AS "normalRoundClock", urgent_hours::float8 AS "urgentHours", urgent_round_clock AS "urgentRoundClock", active`;

export async function listCaseKinds(db: Queryable): Promise<CaseKind[]> {
  return (await db.query<CaseKind>(`SELECT ${kindColumns} FROM cityops_case_kinds ORDER BY type DESC, code`)).rows;
}

/** The cache stamp of the case kinds (migration 0184), renewed by every change to them. */
export const caseKindsStamp = 'cityops-case-kinds';

/** Every case kind by code, as of `stamp` (read when not given); the kinds are shared, hence frozen. */
export type CaseKinds = ReadonlyMap<string, Readonly<CaseKind>>;
const kindSets = stampedCache<CaseKinds>(4);

export async function caseKinds(db: Queryable, stamp?: string): Promise<CaseKinds> {
  return kindSets(stamp ?? (await readStamps(db, [caseKindsStamp]))[caseKindsStamp],
    async () => new Map((await listCaseKinds(db)).map((k) => [k.code, Object.freeze(k)])));
}

export async function findCaseKind(db: Queryable, code: string): Promise<CaseKind | null> {
  return (await caseKinds(db)).get(code) ?? null;
}

/** An active kind of `kinds`, or a refusal naming `field`. */
export function activeKindIn(kinds: CaseKinds, code: string, field = 'kindCode'): CaseKind {
  const kind = kinds.get(code);
  if (!kind?.active) throw new DomainError('cityops.case.unknown-kind', { field }, `no active case kind ${code}`);
  return kind;
}

export async function activeKind(db: Queryable, code: string, field = 'kindCode'): Promise<CaseKind> {
  return activeKindIn(await caseKinds(db), code, field);
}

/** The kind of an existing case (retired kinds too: cases filed under one go on). */
export function kindIn(kinds: CaseKinds, code: string): CaseKind {
  const kind = kinds.get(code);
  if (!kind) throw new DomainError('cityops.case.unknown-kind', { field: 'kindCode' }, `no case kind ${code}`);
  return kind;
}

/** The handling limit of a kind at an urgency. */
export const limitOf = (kind: CaseKind, urgency: Urgency) =>
  (urgency === 'urgent' ? { hours: kind.urgentHours, roundClock: kind.urgentRoundClock } : { hours: kind.normalHours, roundClock: kind.normalRoundClock });

export type UpdateCaseKind = { code: string } & Partial<Pick<CaseKind, 'filingCondition' | 'closingCondition' | 'departmentKind' | 'normalHours'
  | 'normalRoundClock' | 'urgentHours' | 'urgentRoundClock' | 'active'>>;

/** Changes a kind's conditions, usual department, time limits, or retires/restores it (the command centre or an admin). */
export async function updateCaseKind(ctx: Ctx, input: UpdateCaseKind): Promise<CaseKind> {
  await assertDesk(ctx.tx, ctx.actor, cityopsActions.dispatchManage, 'command');
  const kind = await findCaseKind(ctx.tx, input.code);
  if (!kind) throw new DomainError('cityops.case.unknown-kind', { status: 404, field: 'code' }, `no case kind ${input.code}`);
  for (const field of ['normalHours', 'urgentHours'] as const) {
    const hours = input[field];
    if (hours !== undefined && !(hours > 0 && hours <= 2000)) throw new DomainError('cityops.case.bad-limit', { field }, `${field}: ${hours}`);
  }
  const { code, ...changes } = input;
  const next = { ...kind, ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) } as CaseKind;
  await ctx.tx.query(
    `UPDATE cityops_case_kinds SET filing_condition = $2, closing_condition = $3, department_kind = $4, normal_hours = $5, normal_round_clock = $6,
       urgent_hours = $7, urgent_round_clock = $8, active = $9, updated_at = $10 WHERE code = $1`,
    [code, next.filingCondition, next.closingCondition, next.departmentKind, next.normalHours, next.normalRoundClock, next.urgentHours,
      next.urgentRoundClock, next.active, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'cityops.case-kind.updated', object: { type: 'case-kind', id: code }, payload: changes, at: ctx.now });
  return next;
}

export interface DispatchRule {
  id: number;
  divisionCode: string;
  divisionName: string | null;
  kindCode: string;
  kindNameZh: string;
  departmentId: number;
  departmentName: string;
}

const ruleFrom = `SELECT r.id::int, r.division_code AS "divisionCode", dv.name AS "divisionName", r.kind_code AS "kindCode", k.name_zh AS "kindNameZh",
    r.department_id::int AS "departmentId", d.name AS "departmentName"
  FROM cityops_dispatch_rules r JOIN cityops_case_kinds k ON k.code = r.kind_code JOIN departments d ON d.id = r.department_id
  LEFT JOIN divisions dv ON dv.code = r.division_code`;

/** The dispatch catalogue within the actor's jurisdiction, by area and kind. */
export async function listDispatchRules(db: Queryable, actor: import('../kernel/auth/index.ts').Actor, filter: { kindCode?: string }) {
  assertCan(actor, cityopsActions.caseRead);
  const params: unknown[] = [];
  const prefix = actor.jurisdiction.prefix;
  const where = [prefix === null ? 'false' : prefix === '' ? 'true' : (params.push(`${prefix}%`), `r.division_code LIKE $${params.length}`)];
  if (filter.kindCode) {
    params.push(filter.kindCode);
    where.push(`r.kind_code = $${params.length}`);
  }
  return (await db.query<DispatchRule>(`${ruleFrom} WHERE ${where.join(' AND ')} ORDER BY r.division_code, r.kind_code`, params)).rows;
}

/** The department must lie over the area: its division is the area's division or one above it. */
export function assertUnitCovers(department: { divisionCode: string; name: string }, divisionCode: string, field = 'departmentId'): void {
  if (!divisionCode.startsWith(divisionPrefix(department.divisionCode)))
    throw new DomainError('cityops.case.unit-outside-area', { field, divisionCode, departmentDivision: department.divisionCode },
      `${department.name} (${department.divisionCode}) does not serve ${divisionCode}`);
}

/** Sets the department that handles a kind in an area (replacing the one there was). */
export async function setDispatchRule(ctx: Ctx, input: { divisionCode: string; kindCode: string; departmentId: number }): Promise<DispatchRule> {
  await assertDesk(ctx.tx, ctx.actor, cityopsActions.dispatchManage, 'command', { divisionCode: input.divisionCode });
  await activeKind(ctx.tx, input.kindCode);
  const department = await findDepartment(ctx.tx, input.departmentId);
  if (!department) throw new DomainError('cityops.case.unknown-department', { field: 'departmentId' }, `no department ${input.departmentId}`);
  assertUnitCovers(department, input.divisionCode);
  const { rows } = await ctx.tx.query<{ id: number }>(
    `INSERT INTO cityops_dispatch_rules (division_code, kind_code, department_id, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (division_code, kind_code) DO UPDATE SET department_id = EXCLUDED.department_id, updated_at = EXCLUDED.updated_at RETURNING id::int`,
    [input.divisionCode, input.kindCode, input.departmentId, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'cityops.dispatch-rule.set', object: { type: 'dispatch-rule', id: String(rows[0]!.id) },
    payload: input, at: ctx.now });
  return (await ctx.tx.query<DispatchRule>(`${ruleFrom} WHERE r.id = $1`, [rows[0]!.id])).rows[0]!;
}

export async function removeDispatchRule(ctx: Ctx, input: { id: number }): Promise<{ removed: boolean }> {
  const { rows } = await ctx.tx.query<{ divisionCode: string }>('SELECT division_code AS "divisionCode" FROM cityops_dispatch_rules WHERE id = $1', [input.id]);
  if (!rows[0]) throw new DomainError('cityops.dispatch-rule.not-found', { status: 404 }, `no rule ${input.id}`);
  await assertDesk(ctx.tx, ctx.actor, cityopsActions.dispatchManage, 'command', rows[0]);
  await ctx.tx.query('DELETE FROM cityops_dispatch_rules WHERE id = $1', [input.id]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'cityops.dispatch-rule.removed', object: { type: 'dispatch-rule', id: String(input.id) },
    payload: input, at: ctx.now });
  return { removed: true };
}

/** The division and those above it (province, city, county, township, community), widest first. */
export const areasAbove = (code: string) => [...new Set([2, 4, 6, 9, 12].map((n) => code.slice(0, n).padEnd(12, '0')))];

export interface Route {
  departmentId: number;
  departmentName: string;
  /** 规则: a jurisdiction rule (管辖规则); 权属: the component's owning (else maintaining, else competent) department; 目录: the dispatch catalogue. */
  by: 'rule' | 'component' | 'catalogue';
  /** A rule's unit across the line: the grid the case is placed in when dispatched. */
  home?: { gridCode: string; divisionCode: string } | null;
}

/**
 * The component's 权属: its owning, then maintaining, then competent department that serves the case's area;
 * `known` is false when the code names no component.
 */
export async function componentOwner(db: Queryable, componentCode: string, divisionCode: string): Promise<{ known: boolean; owner: Route | null }> {
  const { rows } = await db.query<{ id: number | null; name: string | null; divisionCode: string | null }>(
    `SELECT d.id::int, d.name, d.division_code AS "divisionCode" FROM cityops_components p
       LEFT JOIN LATERAL (VALUES (1, p.owner_department_id), (2, p.maintainer_department_id), (3, p.competent_department_id)) AS o(n, id) ON o.id IS NOT NULL
       LEFT JOIN departments d ON d.id = o.id
      WHERE p.code = $1 ORDER BY o.n`, [componentCode]);
  const owner = rows.find((d) => d.divisionCode !== null && divisionCode.startsWith(divisionPrefix(d.divisionCode)));
  return { known: rows.length > 0, owner: owner ? { departmentId: owner.id!, departmentName: owner.name!, by: 'component' } : null };
}

/** The catalogue's unit for a kind in the nearest area above a division (派遣目录). */
export async function catalogueRoute(db: Queryable, kindCode: string, divisionCode: string): Promise<Route | null> {
  const { rows } = await db.query<{ id: number; name: string }>(
    `SELECT d.id::int, d.name FROM cityops_dispatch_rules r JOIN departments d ON d.id = r.department_id
      WHERE r.kind_code = $1 AND r.division_code = ANY($2::text[]) ORDER BY array_position($2::text[], r.division_code) DESC LIMIT 1`,
    [kindCode, areasAbove(divisionCode)]);
  return rows[0] ? { departmentId: rows[0].id, departmentName: rows[0].name, by: 'catalogue' } : null;
}
