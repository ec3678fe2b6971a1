/**
 * 管辖争议: a case no single unit owns waits in the command centre's queue with its candidate units, the grids
 * around its point and the component it names. A dispute opens at 派遣 when ownership.ts finds several
 * candidates (a point on the line between two areas, a component without 权属), or when a second unit
 * returns (退回) the case. The case stays in 派遣 (dispatching), marked, and its clock runs to the decision's
 * limit (DISPUTE_HOURS working hours), so the deadline sweep warns and marks 督办 as for any step.
 * dispute-decisions.ts decides.
 */
import type { Actor, Ctx } from '../kernel/auth/index.ts';
import { hasGrant, inJurisdiction } from '../kernel/auth/index.ts';
import { loadCalendar } from '../kernel/calendar/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { assertReadsDisputes } from './jurisdiction-rules.ts';
import type { DisputeReason } from './ownership.ts';
import { cityopsActions as a, deskOf, userIdOf, type Desk } from './policy.ts';

/** Working hours of the calendar the command centre has to decide. */
export const DISPUTE_HOURS = 4;
/** The decision's warning (预警) once this share of its time is used, as for the steps of a case. */
const WARNING_SHARE = 0.8;

export interface OpenDispute {
  reasons: DisputeReason[];
  candidateIds: number[];
  gridCodes: string[];
}

/**
 * Opens a dispute on a case in 派遣 without one (its caller holds the case's lock and has refused a case
 * whose dispute is open): the dispute row, the case's clock set to the decision's limit, a history row and a
 * ledger entry.
 */
export async function openDispute(ctx: Ctx, c: { id: number; divisionCode: string }, input: OpenDispute): Promise<number> {
  const calendar = await loadCalendar(ctx.tx);
  const dueAt = calendar.addWorkingHours(ctx.now, DISPUTE_HOURS).due;
  const warnAt = calendar.addWorkingHours(ctx.now, DISPUTE_HOURS * WARNING_SHARE).due;
  const { rows } = await ctx.tx.query<{ id: number }>(
    `INSERT INTO cityops_disputes (case_id, division_code, state, reasons, candidate_ids, grid_codes, opened_by, opened_at, due_at)
     VALUES ($1, $2, 'open', $3, $4, $5, $6, $7, $8) RETURNING id::int`,
    [c.id, c.divisionCode, input.reasons, input.candidateIds, input.gridCodes, `${ctx.actor.kind}:${ctx.actor.id}`, ctx.now, dueAt]);
  const id = rows[0]!.id;
  await ctx.tx.query(
    `UPDATE cityops_cases SET step_started_at = $2, warning_due_at = $3, due_at = $4, warned_at = NULL, supervised_at = NULL, updated_at = $2 WHERE id = $1`,
    [c.id, ctx.now, warnAt, dueAt]);
  const { rows: names } = await ctx.tx.query<{ name: string }>('SELECT name FROM departments WHERE id = ANY($1::bigint[]) ORDER BY name', [input.candidateIds]);
  await ctx.tx.query(
    `INSERT INTO cityops_case_events (case_id, at, action, actor, actor_name, user_id, from_state, to_state, department_id, division_code, note)
     VALUES ($1, $2, 'disputed', $3, $4, $5, 'dispatching', 'dispatching', NULL, $6, $7)`,
    [c.id, ctx.now, `${ctx.actor.kind}:${ctx.actor.id}`, ctx.actor.name, userIdOf(ctx.actor), c.divisionCode, names.map((n) => n.name).join('、')]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'cityops.dispute.opened', object: { type: 'cityops-dispute', id: String(id) }, at: ctx.now,
    payload: { caseId: c.id, ...input, dueAt } });
  return id;
}

/** The units that returned (退回) a case, each once, in the order of their first return. */
export async function returnersOf(db: Queryable, caseId: number): Promise<number[]> {
  const { rows } = await db.query<{ departmentId: number }>(
    `SELECT department_id::int AS "departmentId" FROM cityops_case_events
      WHERE case_id = $1 AND action = 'returned' AND department_id IS NOT NULL GROUP BY department_id ORDER BY min(id)`, [caseId]);
  return rows.map((r) => r.departmentId);
}

export interface DisputeView {
  id: number;
  caseId: number;
  caseCode: string;
  kindCode: string;
  kindNameZh: string;
  description: string;
  address: string;
  lon: number;
  lat: number;
  gridCode: string | null;
  gridName: string | null;
  divisionCode: string;
  divisionName: string | null;
  componentCode: string | null;
  state: 'open' | 'decided';
  reasons: DisputeReason[];
  candidates: { id: number; name: string; divisionCode: string; returned: boolean }[];
  gridCodes: string[];
  openedAt: Date;
  dueAt: Date;
  overdue: boolean;
  warnedAt: Date | null;
  supervisedAt: Date | null;
  decidedDepartmentId: number | null;
  decidedDepartmentName: string | null;
  decisionReason: string | null;
  decidedByName: string | null;
  decidedAt: Date | null;
  placedGridCode: string | null;
  ruleId: number | null;
  /** The staff who returned the case: none of them decides. */
  returnerUserIds: number[];
}

const disputeFrom = (nowParam: string) => `SELECT x.id::int, x.case_id::int AS "caseId", c.code AS "caseCode", c.kind_code AS "kindCode", k.name_zh AS "kindNameZh",
    c.description, c.address, c.lon, c.lat, c.grid_code AS "gridCode", g.name AS "gridName", x.division_code AS "divisionCode", dv.name AS "divisionName",
    c.component_code AS "componentCode", x.state, x.reasons, x.grid_codes AS "gridCodes", x.opened_at AS "openedAt", x.due_at AS "dueAt",
    (x.state = 'open' AND x.due_at < ${nowParam}::timestamptz) AS overdue,
    CASE WHEN x.state = 'open' THEN c.warned_at END AS "warnedAt", CASE WHEN x.state = 'open' THEN c.supervised_at END AS "supervisedAt",
    x.decided_department_id::int AS "decidedDepartmentId", dd.name AS "decidedDepartmentName", x.decision_reason AS "decisionReason",
    x.decided_by_name AS "decidedByName", x.decided_at AS "decidedAt", x.placed_grid_code AS "placedGridCode", x.rule_id::int AS "ruleId",
    ARRAY(SELECT e.user_id::int FROM cityops_case_events e WHERE e.case_id = x.case_id AND e.action = 'returned' AND e.user_id IS NOT NULL) AS "returnerUserIds",
    (SELECT coalesce(json_agg(json_build_object('id', d.id, 'name', d.name, 'divisionCode', d.division_code,
        'returned', EXISTS (SELECT 1 FROM cityops_case_events e WHERE e.case_id = x.case_id AND e.action = 'returned' AND e.department_id = d.id))
        ORDER BY array_position(x.candidate_ids, d.id)), '[]') FROM departments d WHERE d.id = ANY(x.candidate_ids)) AS candidates
  FROM cityops_disputes x JOIN cityops_cases c ON c.id = x.case_id JOIN cityops_case_kinds k ON k.code = c.kind_code
  LEFT JOIN grids g ON g.code = c.grid_code LEFT JOIN divisions dv ON dv.code = x.division_code LEFT JOIN departments dd ON dd.id = x.decided_department_id`;

/** A page of the disputes of the actor's jurisdiction: the open ones by their limit, the decided ones newest first. */
export async function listDisputes(db: Queryable, actor: Actor, now: Date, query: { state?: 'open' | 'decided'; page: number; pageSize: number }) {
  await assertReadsDisputes(db, actor);
  const params: unknown[] = [];
  const where = [inJurisdiction('x.division_code', actor.jurisdiction, params)];
  if (query.state) {
    params.push(query.state);
    where.push(`x.state = $${params.length}`);
  }
  const sql = where.join(' AND ');
  const [{ rows: count }, { rows: items }] = await Promise.all([
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cityops_disputes x WHERE ${sql}`, params),
    db.query<DisputeView>(`${disputeFrom(`$${params.length + 1}`)} WHERE ${sql}
      ORDER BY (x.state = 'open') DESC, CASE WHEN x.state = 'open' THEN x.due_at END, x.decided_at DESC, x.id DESC
      LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`, [...params, now]),
  ]);
  const desk = await deskOf(db, actor);
  return { total: count[0]!.n, items: items.map((view) => ({ view, desk })) };
}

export interface DisputeDetail {
  view: DisputeView;
  desk: Desk;
  /** The grids around the point, with their county, as GeoJSON for the map. */
  grids: { type: 'FeatureCollection'; features: { type: 'Feature'; id: string; geometry: unknown;
    properties: { code: string; name: string; divisionCode: string; divisionName: string | null; countyName: string | null } }[] };
  component: { code: string; kindNameZh: string; address: string; lon: number; lat: number; ownerName: string | null; maintainerName: string | null;
    competentName: string | null } | null;
  returns: { at: Date; departmentName: string | null; actorName: string; note: string | null }[];
}

const notFound = (id: number) => new DomainError('cityops.dispute.not-found', { status: 404 }, `no dispute ${id}`);

/** One dispute of the actor's jurisdiction with the polygons near its point, the component record and the returns. */
export async function getDispute(db: Queryable, actor: Actor, id: number, now: Date): Promise<DisputeDetail> {
  await assertReadsDisputes(db, actor);
  const { rows } = await db.query<DisputeView>(`${disputeFrom('$1')} WHERE x.id = $2`, [now, id]);
  const view = rows[0];
  if (!view || !actor.jurisdiction.covers(view.divisionCode)) throw notFound(id);
  // One after another: `db` may be the command's transaction, a single connection.
  const { rows: grids } = await db.query<{ code: string; name: string; divisionCode: string; divisionName: string | null; countyName: string | null; geometry: unknown }>(
    `SELECT g.code, g.name, g.division_code AS "divisionCode", dv.name AS "divisionName", cv.name AS "countyName", g.geometry
       FROM grids g LEFT JOIN divisions dv ON dv.code = g.division_code LEFT JOIN divisions cv ON cv.code = left(g.division_code, 6) || '000000'
      WHERE g.code = ANY($1::text[]) ORDER BY array_position($1::text[], g.code)`, [view.gridCodes]);
  const { rows: components } = await db.query<NonNullable<DisputeDetail['component']>>(
    `SELECT p.code, k.name_zh AS "kindNameZh", p.address, p.lon, p.lat, o.name AS "ownerName", m.name AS "maintainerName", cp.name AS "competentName"
       FROM cityops_components p JOIN cityops_component_kinds k ON k.class_code = p.class_code AND k.code = p.kind_code
       LEFT JOIN departments o ON o.id = p.owner_department_id LEFT JOIN departments m ON m.id = p.maintainer_department_id
       LEFT JOIN departments cp ON cp.id = p.competent_department_id WHERE p.code = $1`, [view.componentCode]);
  const { rows: returns } = await db.query<DisputeDetail['returns'][number]>(
    `SELECT e.at, d.name AS "departmentName", e.actor_name AS "actorName", e.note FROM cityops_case_events e LEFT JOIN departments d ON d.id = e.department_id
      WHERE e.case_id = $1 AND e.action = 'returned' ORDER BY e.id`, [view.caseId]);
  return {
    view, desk: await deskOf(db, actor), component: components[0] ?? null, returns,
    grids: { type: 'FeatureCollection', features: grids.map(({ geometry, ...properties }) => ({ type: 'Feature', id: properties.code, geometry, properties })) },
  };
}

/** Why the actor may not decide a dispute, or null: the command centre decides, never a candidate unit nor whoever returned the case. */
export function decideRefusal(actor: Actor, desk: Desk, view: Pick<DisputeView, 'candidates' | 'divisionCode' | 'returnerUserIds'>): DomainError | null {
  if (!hasGrant(actor, a.disputeDecide) || !actor.jurisdiction.covers(view.divisionCode) || (desk !== 'platform' && desk !== 'command'))
    return new DomainError('cityops.case.not-desk', { status: 403, desk: 'command', action: a.disputeDecide }, 'only the command centre decides a dispute');
  if (actor.departmentId !== null && view.candidates.some((c) => c.id === actor.departmentId))
    return new DomainError('cityops.dispute.own-candidate', { status: 403 }, 'a candidate unit does not decide its own dispute');
  const me = userIdOf(actor);
  if (me !== null && view.returnerUserIds.includes(me))
    return new DomainError('cityops.dispute.own-return', { status: 403 }, 'whoever returned the case does not decide its dispute');
  return null;
}
