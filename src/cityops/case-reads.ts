/**
 * Reading cases: the queue of a desk (scoped as policy.ts says), one case with its history and photos, a
 * photo's bytes. Where a worker's phone was at a step is personal data: the worker sees their own
 * positions, everyone else only how far from the case the phone was.
 */
import { assertCan, can, type Actor } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import type { Route } from './case-kinds.ts';
import { casePhotoUrl } from './case-photos.ts';
import { caseColumns, openStates, transitions, type Case, type CaseCommand, type CaseSource, type CaseState } from './cases.ts';
import { routeCase } from './ownership.ts';
import { canReadCase, caseScope, cityopsActions as a, deskOf, userIdOf, type Desk } from './policy.ts';

/** A case as lists show it: with the names of its kind, grid, division, unit and field worker. */
export interface CaseView extends Case {
  kindNameZh: string;
  kindNameEn: string;
  kindType: 'component' | 'event';
  gridName: string | null;
  divisionName: string | null;
  departmentName: string | null;
  assigneeName: string | null;
  workerName: string | null;
  reporterName: string | null;
  overdue: boolean;
  /** The open jurisdiction dispute (管辖争议) the case waits on, if any. */
  disputeId: number | null;
}

const viewFrom = (nowParam: string) => `SELECT ${caseColumns}, k.name_zh AS "kindNameZh", k.name_en AS "kindNameEn", k.type AS "kindType", g.name AS "gridName",
    dv.name AS "divisionName", d.name AS "departmentName", ua.display_name AS "assigneeName", uw.display_name AS "workerName", ur.display_name AS "reporterName",
    (c.due_at IS NOT NULL AND c.due_at < ${nowParam}::timestamptz) AS overdue,
    (SELECT x.id::int FROM cityops_disputes x WHERE x.case_id = c.id AND x.state = 'open') AS "disputeId"
  FROM cityops_cases c JOIN cityops_case_kinds k ON k.code = c.kind_code
  LEFT JOIN grids g ON g.code = c.grid_code LEFT JOIN divisions dv ON dv.code = c.division_code
  LEFT JOIN departments d ON d.id = c.department_id LEFT JOIN users ua ON ua.id = c.assignee_user_id LEFT JOIN users ur ON ur.id = c.reporter_user_id
  LEFT JOIN users uw ON uw.id = c.worker_user_id`;

export interface CaseFilter {
  state?: CaseState;
  /** `open`: any state before 结案. */
  open?: boolean;
  source?: CaseSource;
  kindCode?: string;
  divisionCode?: string;
  departmentId?: number;
  /** Only the cases with a warning or 督办 on their current step. */
  alerted?: boolean;
  /** Only the caller's own tasks (a field worker's, or a unit's). */
  mine?: boolean;
}

/** A page of the cases the actor may see, newest first. */
export async function listCases(db: Queryable, actor: Actor, now: Date, query: CaseFilter & { page: number; pageSize: number }) {
  assertCan(actor, a.caseRead);
  const desk = await deskOf(db, actor);
  const params: unknown[] = [];
  const where = [caseScope(actor, desk, params)];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    where.push(sql(params.length));
  };
  if (query.state) add((n) => `c.state = $${n}`, query.state);
  if (query.open) add((n) => `c.state = ANY($${n}::text[])`, openStates);
  if (query.source) add((n) => `c.source = $${n}`, query.source);
  if (query.kindCode) add((n) => `c.kind_code = $${n}`, query.kindCode);
  if (query.divisionCode) add((n) => `c.division_code LIKE $${n}`, `${query.divisionCode.replace(/(0{3})+$/, '')}%`);
  if (query.departmentId) add((n) => `c.department_id = $${n}`, query.departmentId);
  if (query.alerted) where.push('(c.warned_at IS NOT NULL OR c.supervised_at IS NOT NULL)');
  if (query.mine) {
    const me = userIdOf(actor);
    if (desk === 'patrol') add((n) => `c.assignee_user_id = $${n}`, me);
    else add((n) => `c.department_id = $${n}`, actor.departmentId);
  }
  const sql = where.join(' AND ');
  const [{ rows: count }, { rows: items }] = await Promise.all([
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM cityops_cases c WHERE ${sql}`, params),
    db.query<CaseView>(`${viewFrom(`$${params.length + 1}`)} WHERE ${sql} ORDER BY c.id DESC LIMIT ${query.pageSize} OFFSET ${(query.page - 1) * query.pageSize}`,
      [...params, now]),
  ]);
  return { total: count[0]!.n, items: items.map((c) => ({ view: c, desk })) };
}

export interface CaseEvent {
  at: Date;
  action: string;
  actorName: string;
  fromState: string | null;
  toState: string | null;
  departmentName: string | null;
  note: string | null;
  onTime: boolean | null;
  passed: boolean | null;
}

export interface CaseDetail {
  view: CaseView;
  desk: Desk;
  kind: { filingCondition: string; closingCondition: string };
  events: CaseEvent[];
  photos: { id: string; step: string; url: string; width: number; height: number; uploadedAt: Date }[];
  positions: { step: string; distanceM: number; at: Date; mine: boolean; lon: number | null; lat: number | null; accuracy: number | null }[];
  route: Route | null;
}

const notFound = (id: number) => new DomainError('cityops.case.not-found', { status: 404, id }, `no case ${id}`);

/** One case the actor may see, with its history, photos, field positions (as the viewer may see them) and the suggested unit. */
export async function getCase(db: Queryable, actor: Actor, id: number, now: Date): Promise<CaseDetail> {
  assertCan(actor, a.caseRead);
  const desk = await deskOf(db, actor);
  const { rows } = await db.query<CaseView>(`${viewFrom('$1')} WHERE c.id = $2`, [now, id]);
  const view = rows[0];
  if (!view || !canReadCase(actor, desk, view)) throw notFound(id);
  const me = userIdOf(actor);
  const [{ rows: kind }, { rows: events }, { rows: photos }, { rows: positions }] = await Promise.all([
    db.query<{ filingCondition: string; closingCondition: string }>(
      'SELECT filing_condition AS "filingCondition", closing_condition AS "closingCondition" FROM cityops_case_kinds WHERE code = $1', [view.kindCode]),
    db.query<CaseEvent>(
      `SELECT e.at, e.action, e.actor_name AS "actorName", e.from_state AS "fromState", e.to_state AS "toState", d.name AS "departmentName", e.note,
              e.on_time AS "onTime", e.passed FROM cityops_case_events e LEFT JOIN departments d ON d.id = e.department_id WHERE e.case_id = $1 ORDER BY e.id`, [id]),
    db.query<{ id: string; step: string; width: number; height: number; uploadedAt: Date }>(
      'SELECT id, step, width, height, uploaded_at AS "uploadedAt" FROM cityops_case_photos WHERE case_id = $1 ORDER BY uploaded_at, id', [id]),
    db.query<{ step: string; distanceM: number; at: Date; userId: number; lon: number; lat: number; accuracy: number | null }>(
      `SELECT step, distance_m AS "distanceM", at, user_id::int AS "userId", lon, lat, accuracy FROM cityops_case_positions WHERE case_id = $1 ORDER BY at`, [id]),
  ]);
  const route = view.state === 'dispatching' && view.disputeId === null ? await routeCase(db, view) : null;
  return {
    view, desk, kind: kind[0]!, events, route,
    photos: photos.map((p) => ({ ...p, url: casePhotoUrl(id, p.id) })),
    positions: positions.map((p) => {
      const mine = me !== null && p.userId === me;
      return { step: p.step, distanceM: p.distanceM, at: p.at, mine, lon: mine ? p.lon : null, lat: mine ? p.lat : null, accuracy: mine ? p.accuracy : null };
    }),
  };
}

/** A photo's bytes for someone who may see its case; 404 otherwise. */
export async function readCasePhoto(db: Queryable, actor: Actor, caseId: number, photoId: string): Promise<{ contentType: string; bytes: Buffer }> {
  const photoNotFound = new DomainError('cityops.photo.not-found', { status: 404 }, `no photo ${photoId}`);
  if (!/^[0-9a-f-]{36}$/i.test(photoId)) throw photoNotFound;
  assertCan(actor, a.caseRead);
  const { rows } = await db.query<{ contentType: string; bytes: Buffer; divisionCode: string; departmentId: number | null; reporterUserId: number | null;
    fieldUserIds: number[]; source: string }>(
    `SELECT p.content_type AS "contentType", p.bytes, c.division_code AS "divisionCode", c.department_id::int AS "departmentId",
            c.reporter_user_id::int AS "reporterUserId", c.field_user_ids::int[] AS "fieldUserIds", c.source
       FROM cityops_case_photos p JOIN cityops_cases c ON c.id = p.case_id WHERE p.id = $1 AND p.case_id = $2`, [photoId, caseId]);
  if (!rows[0] || !canReadCase(actor, await deskOf(db, actor), rows[0])) throw photoNotFound;
  return rows[0];
}

/** What the viewer may do next with a case, for the console's buttons (the commands check again). */
export function caseAbilities(c: CaseView, viewer: Actor, desk: Desk): Record<CaseCommand, boolean> {
  const platform = desk === 'platform';
  const at = (d: Desk, action: string) => (platform || desk === d) && can(viewer, action, c);
  const me = userIdOf(viewer);
  const assignee = platform || (me !== null && c.assigneeUserId === me);
  const unit = platform || (viewer.departmentId !== null && viewer.departmentId === c.departmentId && can(viewer, a.caseHandle, c));
  const allowed = (command: CaseCommand) => (transitions[command] as readonly CaseState[]).includes(c.state);
  return {
    verify: allowed('verify') && at('patrol', a.caseCheck) && assignee,
    file: allowed('file') && at('supervision', a.caseFile),
    refuse: allowed('refuse') && at('supervision', a.caseFile),
    dispatch: allowed('dispatch') && c.disputeId === null && at('command', a.caseDispatch),
    return: allowed('return') && unit,
    // A case given to a worker of the unit is theirs to handle.
    handle: allowed('handle') && unit && (platform || c.workerUserId === null || c.workerUserId === me),
    check: allowed('check') && at('patrol', a.caseCheck) && assignee,
    close: allowed('close') && at('supervision', a.caseFile),
    evaluate: allowed('evaluate') && c.outcome === 'closed' && c.rating === null && (platform || desk === 'supervision' || desk === 'command')
      && can(viewer, a.caseEvaluate, c),
  };
}
