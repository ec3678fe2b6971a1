/**
 * 行政处罚 cases: 立案 → 拟处罚 (the investigator's level and amount) → 法制审核 (another officer) → 决定 (the
 * department's head). Either check may send the case back to the investigator with a reason. The decision's entry
 * publishes the amount, the item and the level, so the oversight rules compare a fine with its peers and flag
 * one outside its band of the discretion standard.
 */
import { assertCan, inJurisdiction, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { checkCreditCode, checkResidentId } from '../kernel/checks/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { appendToLedger, jurisdictionFactNames, jurisdictionFacts } from '../kernel/ledger/index.ts';
import { containsPattern } from '../kernel/like.ts';
import { divisionExists, findDepartment } from '../kernel/org/index.ts';
import { getItem, withinBand, type Level } from './items.ts';
import { actorRef, assertActsOn, caseAbilities, overseesCases, penaltiesActions as a } from './policy.ts';

export const caseStates = ['investigating', 'proposed', 'reviewed', 'decided'] as const;
export type CaseState = (typeof caseStates)[number];

export interface PenaltyCase {
  id: number;
  number: string;
  item: { id: number; code: string; name: string };
  department: { id: number; name: string };
  divisionCode: string;
  partyKind: 'person' | 'organisation';
  partyName: string;
  partyIdNumber: string;
  place: string;
  facts: string;
  state: CaseState;
  level: Level | null;
  amount: number | null;
  deviation: string | null;
  investigatorName: string;
  filedAt: Date;
  proposedAt: Date | null;
  reviewedAt: Date | null;
  decidedAt: Date | null;
}

interface CaseRow extends PenaltyCase { investigator: string; reviewer: string | null; decider: string | null }

export interface CaseEvent { id: number; action: string; fromState: string | null; toState: string; actorName: string; note: string | null; at: Date }

const columns = `c.id::int, c.number, json_build_object('id', i.id, 'code', i.code, 'name', i.name) AS item,
  json_build_object('id', d.id, 'name', d.name) AS department, c.division_code AS "divisionCode", c.party_kind AS "partyKind",
  c.party_name AS "partyName", c.party_id_number AS "partyIdNumber", c.place, c.facts, c.state, c.level, c.amount::float8 AS amount, c.deviation,
  c.investigator, c.investigator_name AS "investigatorName", c.reviewer, c.decider, c.filed_at AS "filedAt", c.proposed_at AS "proposedAt",
  c.reviewed_at AS "reviewedAt", c.decided_at AS "decidedAt"`;
const from = 'penalty_cases c JOIN penalty_items i ON i.id = c.item_id JOIN departments d ON d.id = c.department_id';

const ownerOf = (c: Pick<CaseRow, 'divisionCode' | 'department'>) => ({ divisionCode: c.divisionCode, departmentId: c.department.id });

/** Which cases the actor sees: its jurisdiction's for overseers, its own department's for its staff. */
function caseScope(actor: Actor, params: unknown[]): string {
  const area = inJurisdiction('c.division_code', actor.jurisdiction, params);
  if (overseesCases(actor)) return area;
  if (actor.departmentId === null) return 'false';
  params.push(actor.departmentId);
  return `${area} AND c.department_id = $${params.length}`;
}

const caseNotFound = (id: number) => new DomainError('penalties.case.not-found', { status: 404, id }, `case ${id} not found`);

/** The case as the actor may see it, locked for a command (`lock`); a case the actor may not see is not found. */
async function scopedCase(ctx: Ctx, id: number, lock: boolean): Promise<CaseRow> {
  const params: unknown[] = [id];
  const scope = caseScope(ctx.actor, params);
  const { rows: [row] } = await ctx.tx.query<CaseRow>(`SELECT ${columns} FROM ${from} WHERE c.id = $1 AND ${scope}${lock ? ' FOR UPDATE OF c' : ''}`, params);
  if (!row) throw caseNotFound(id);
  return row;
}

const required = (value: string | undefined, field: string, max: number) => {
  const text = value?.trim() ?? '';
  if (!text || text.length > max) throw new DomainError('validation', { field }, `${field}: 1 to ${max} characters`);
  return text;
};

/** Moves the case, records the step and appends its ledger entry. */
async function moveCase(ctx: Ctx, row: Pick<CaseRow, 'id' | 'number' | 'divisionCode'> & { state: CaseState | null }, step: { action: string; to: CaseState; note?: string | null; set?: Record<string, unknown>;
  payload?: Record<string, unknown>; publish?: readonly string[] }): Promise<void> {
  const set = { ...step.set, state: step.to, updated_at: ctx.now };
  const names = Object.keys(set);
  await ctx.tx.query(`UPDATE penalty_cases SET ${names.map((n, i) => `${n} = $${i + 2}`).join(', ')} WHERE id = $1`, [row.id, ...Object.values(set)]);
  await ctx.tx.query(
    `INSERT INTO penalty_case_events (case_id, action, from_state, to_state, actor, actor_name, note, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [row.id, step.action, row.state, step.to, actorRef(ctx.actor), ctx.actor.name, step.note ?? null, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: step.action, object: { type: 'penalty-case', id: row.number }, at: ctx.now,
    payload: { case: row.number, from: row.state, to: step.to, note: step.note ?? null, ...step.payload, ...jurisdictionFacts(ctx.actor, row.divisionCode) },
    publish: [...jurisdictionFactNames, ...(step.publish ?? [])] });
}

/** The case as the commands answer it: without who holds which part, which the record shows. */
async function readCase(db: Queryable, id: number): Promise<PenaltyCase> {
  const { rows: [row] } = await db.query<CaseRow>(`SELECT ${columns} FROM ${from} WHERE c.id = $1`, [id]);
  return present(row!);
}

export interface FileCase {
  itemId: number;
  partyKind: 'person' | 'organisation';
  partyName: string;
  partyIdNumber: string;
  divisionCode: string;
  place: string;
  facts: string;
}

/** 立案: an officer opens a case of an item its department enforces, where the violation happened in its jurisdiction. */
export async function fileCase(ctx: Ctx, input: FileCase): Promise<PenaltyCase> {
  assertCan(ctx.actor, a.investigate);
  if (ctx.actor.departmentId === null) throw new DomainError('penalties.no-department', { status: 403 }, 'only a department\'s staff file cases');
  const department = (await findDepartment(ctx.tx, ctx.actor.departmentId))!;
  const owner = { divisionCode: input.divisionCode, departmentId: department.id };
  assertActsOn(ctx.actor, a.investigate, owner);
  if (!(await divisionExists(ctx.tx, input.divisionCode)))
    throw new DomainError('validation', { field: 'divisionCode' }, `no division ${input.divisionCode}`);
  const item = await getItem(ctx.tx, input.itemId);
  if (!item || !item.active || item.departmentKind !== department.kind)
    throw new DomainError('penalties.item.unknown', { field: 'itemId' }, 'not an item this department enforces');
  const id = input.partyKind === 'person' ? checkResidentId(input.partyIdNumber, ctx.now) : checkCreditCode(input.partyIdNumber);
  if (!id.ok) throw new DomainError('validation', { field: 'partyIdNumber', reason: id.reason }, id.message);
  const { rows: [created] } = await ctx.tx.query<{ id: number }>(
    `WITH n AS (SELECT nextval(pg_get_serial_sequence('penalty_cases', 'id')) AS id)
     INSERT INTO penalty_cases (id, number, item_id, department_id, division_code, party_kind, party_name, party_id_number, place, facts, state,
       investigator, investigator_name, filed_at, updated_at)
     SELECT n.id, 'CF' || to_char($11::timestamptz AT TIME ZONE 'Asia/Shanghai', 'YYYY') || '-' || lpad(n.id::text, 6, '0'),
       $1, $2, $3, $4, $5, $6, $7, $8, 'investigating', $9, $10, $11, $11 FROM n RETURNING id::int`,
    [item.id, department.id, input.divisionCode, input.partyKind, required(input.partyName, 'partyName', 200), id.value,
      required(input.place, 'place', 200), required(input.facts, 'facts', 4000), actorRef(ctx.actor), ctx.actor.name, ctx.now]);
  const row = await readCase(ctx.tx, created!.id);
  // The case is new: its first step starts from nothing.
  await moveCase(ctx, { ...row, state: null }, { action: 'penalties.case.filed', to: 'investigating', payload: { item: item.code } });
  return row;
}

export interface ProposePenalty { id: number; level: Level; amount: number; deviation?: string }

/**
 * 拟处罚: the investigator states the level of discretion and the fine (分). A fine outside the law's range is
 * refused; one outside the level's band of the discretion standard needs the reason (偏离裁量基准须说明理由).
 */
export async function proposePenalty(ctx: Ctx, input: ProposePenalty): Promise<PenaltyCase> {
  const row = await scopedCase(ctx, input.id, true);
  assertActsOn(ctx.actor, a.investigate, ownerOf(row));
  if (row.state !== 'investigating') throw badState(row);
  // Whoever proposes is the one the review and the decision are kept apart from: the case's own investigator.
  if (row.investigator !== actorRef(ctx.actor) && ctx.actor.kind !== 'system')
    throw new DomainError('penalties.not-investigator', { status: 403 }, 'only the case\'s investigator proposes the penalty');
  const item = (await getItem(ctx.tx, row.item.id))!;
  if (!Number.isInteger(input.amount) || input.amount < item.legalMin || input.amount > item.legalMax)
    throw new DomainError('penalties.amount-outside-law', { field: 'amount', legalMin: item.legalMin, legalMax: item.legalMax },
      `the law allows ${item.legalMin} to ${item.legalMax} 分`);
  const beyondBand = !withinBand(item, input.level, input.amount);
  const deviation = beyondBand ? required(input.deviation, 'deviation', 2000) : null;
  await moveCase(ctx, row, { action: 'penalties.case.proposed', to: 'proposed', note: deviation,
    set: { level: input.level, amount: input.amount, deviation, proposed_at: ctx.now },
    payload: { level: input.level, amount: input.amount, beyondBand } });
  return readCase(ctx.tx, row.id);
}

const badState = (row: CaseRow) =>
  new DomainError('penalties.case.bad-state', { status: 409, state: row.state }, `the case is ${row.state}`);

export interface CheckCase { id: number; approve: boolean; note?: string }

/** 法制审核: an officer who did not investigate the case passes it to the head or sends it back with the reason. */
export async function reviewCase(ctx: Ctx, input: CheckCase): Promise<PenaltyCase> {
  const row = await scopedCase(ctx, input.id, true);
  assertActsOn(ctx.actor, a.review, ownerOf(row));
  if (row.state !== 'proposed') throw badState(row);
  if (row.investigator === actorRef(ctx.actor))
    throw new DomainError('penalties.own-investigation', { status: 403 }, 'the investigator does not review their own case');
  await moveCase(ctx, row, input.approve
    ? { action: 'penalties.case.reviewed', to: 'reviewed', note: input.note?.trim() || null, set: { reviewer: actorRef(ctx.actor), reviewed_at: ctx.now } }
    : { action: 'penalties.case.returned', to: 'investigating', note: required(input.note, 'note', 2000) });
  return readCase(ctx.tx, row.id);
}

/**
 * 决定: the department's head, neither the investigator nor the reviewer, decides the proposed fine or sends the case
 * back. The decision publishes the amount, the item, the level and whether the amount left its band.
 */
export async function decideCase(ctx: Ctx, input: CheckCase): Promise<PenaltyCase> {
  const row = await scopedCase(ctx, input.id, true);
  assertActsOn(ctx.actor, a.decide, ownerOf(row));
  if (row.state !== 'reviewed') throw badState(row);
  const me = actorRef(ctx.actor);
  if (row.investigator === me || row.reviewer === me)
    throw new DomainError('penalties.own-check', { status: 403 }, 'whoever investigated or reviewed the case does not decide it');
  if (!input.approve) {
    await moveCase(ctx, row, { action: 'penalties.case.returned', to: 'investigating', note: required(input.note, 'note', 2000), set: { reviewer: null, reviewed_at: null } });
    return readCase(ctx.tx, row.id);
  }
  const item = (await getItem(ctx.tx, row.item.id))!;
  const level = row.level!;
  await moveCase(ctx, row, { action: 'penalties.case.decided', to: 'decided', note: input.note?.trim() || null, set: { decider: me, decided_at: ctx.now },
    // `itemLevel` groups a fine with the fines of its item at the same level: a 从重 fine is not an outlier among 从轻 ones.
    payload: { item: item.code, level, itemLevel: `${item.code}:${level}`, amount: row.amount, beyondBand: !withinBand(item, level, row.amount!) },
    publish: ['item', 'level', 'itemLevel', 'amount', 'beyondBand'] });
  return readCase(ctx.tx, row.id);
}

export interface CaseQuery { state?: CaseState[]; q?: string; limit: number; offset: number }

/** The cases the actor sees, newest first; a person's name and every identity number shown masked. */
export async function listCases(db: Queryable, actor: Actor, query: CaseQuery): Promise<{ items: (PenaltyCase & { abilities: string[] })[]; total: number }> {
  assertCan(actor, a.read);
  const params: unknown[] = [];
  const where = [caseScope(actor, params)];
  if (query.state?.length) where.push(`c.state = ANY($${params.push(query.state)}::text[])`);
  if (query.q) {
    const q = query.q.trim();
    where.push(`(c.number = $${params.push(q)} OR c.party_name = $${params.length} OR i.name LIKE $${params.push(containsPattern(q))})`);
  }
  const { rows } = await db.query<CaseRow & { total: number }>(
    `SELECT ${columns}, count(*) OVER ()::int AS total FROM ${from} WHERE ${where.join(' AND ')} ORDER BY c.id DESC LIMIT $${params.push(query.limit)} OFFSET $${params.push(query.offset)}`,
    params);
  return {
    items: rows.map(({ total: _, ...row }) => ({ ...present(row), partyName: maskParty(row), partyIdNumber: maskNumber(row.partyIdNumber),
      abilities: caseAbilities(actor, { ...row, ...ownerOf(row) }) })),
    total: rows[0]?.total ?? 0,
  };
}

/** A person's name as 行政处罚决定公开 shows it (张某某); an organisation's in full. */
const maskParty = (row: Pick<PenaltyCase, 'partyKind' | 'partyName'>) =>
  (row.partyKind === 'person' ? `${[...row.partyName][0] ?? ''}某${[...row.partyName].length > 2 ? '某' : ''}` : row.partyName);
const maskNumber = (id: string) => `${id.slice(0, 4)}${'*'.repeat(Math.max(0, id.length - 8))}${id.slice(-4)}`;

const present = ({ investigator: _i, reviewer: _r, decider: _d, ...shown }: CaseRow): PenaltyCase => shown;

/** The case in full with its record; opening a person's case is a read of their data, so it is a ledger entry. */
export async function viewCase(ctx: Ctx, input: { id: number }): Promise<{ case: PenaltyCase; events: CaseEvent[]; abilities: string[];
  bands: Record<Level, [number, number]>; legalMin: number; legalMax: number }> {
  assertCan(ctx.actor, a.read);
  const row = await scopedCase(ctx, input.id, false);
  if (row.partyKind === 'person')
    await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'penalties.case.viewed', object: { type: 'penalty-case', id: row.number },
      purpose: 'handling the case', at: ctx.now, payload: { case: row.number } });
  const { rows: events } = await ctx.tx.query<CaseEvent>(
    `SELECT id::int, action, from_state AS "fromState", to_state AS "toState", actor_name AS "actorName", note, at
       FROM penalty_case_events WHERE case_id = $1 ORDER BY id`, [row.id]);
  const item = (await getItem(ctx.tx, row.item.id))!;
  return { case: present(row), events, abilities: caseAbilities(ctx.actor, { ...row, ...ownerOf(row) }), bands: item.bands, legalMin: item.legalMin, legalMax: item.legalMax };
}
