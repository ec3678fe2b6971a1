/**
 * 督考: a monthly score per department from four rates, each out of 100: tasks closed on time, the 12345
 * composite score (三率), the 好差评 satisfaction, and problems accepted on time. The score is the weighted
 * mean of the rates a department has (a rate with nothing to rate drops out and the others carry its
 * weight). The formula shown beside a score is rendered from the very expression that was evaluated to
 * get it, so the two cannot disagree.
 */
import { assertCan, systemActor, type Actor, type Ctx } from '../kernel/auth/index.ts';
import { chinaMidnight, dayFromNumber, dayNumber } from '../kernel/calendar/index.ts';
import { divisionPrefix } from '../kernel/checks/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { computeMetrics } from '../hotline/index.ts';
import { ratingFigures } from '../services/index.ts';
import { assertOffice, supervisionActions as a } from './policy.ts';

export const scoreComponents = ['tasks', 'hotline', 'ratings', 'problems'] as const;
export type ScoreComponent = (typeof scoreComponents)[number];
export type Weights = Record<ScoreComponent, number>;

/** The names of the rates, as the formula writes them. */
export const componentNames: Record<ScoreComponent, { zh: string; en: string }> = {
  tasks: { zh: '督办按期办结率', en: 'tasks closed on time' },
  hotline: { zh: '12345三率综合成绩', en: '12345 composite (three rates)' },
  ratings: { zh: '好差评满意率', en: 'service satisfaction' },
  problems: { zh: '问题按期整改率', en: 'problems accepted on time' },
};

export const defaultWeights: Weights = { tasks: 40, hotline: 20, ratings: 20, problems: 20 };

/** The score as an expression: Σ(weight × rate) ÷ Σ weight over the rates present. Evaluated and rendered alike. */
export interface Expression {
  terms: { component: ScoreComponent; weight: number; value: number | null }[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const present = (e: Expression) => e.terms.filter((t) => t.weight > 0 && t.value !== null);

export function evaluate(e: Expression): number | null {
  const terms = present(e);
  const weight = terms.reduce((sum, t) => sum + t.weight, 0);
  return weight === 0 ? null : round2(terms.reduce((sum, t) => sum + t.weight * t.value!, 0) / weight);
}

/**
 * The expression as text. Without values (`symbolic`) it names the rates: the formula of the month. With
 * values it writes the numbers that were used and the result, e.g. `(40×100 + 20×87.5) ÷ (40 + 20) = 95.83`.
 */
export function render(e: Expression, lang: 'zh' | 'en', symbolic = false): string {
  const terms = symbolic ? e.terms.filter((t) => t.weight > 0) : present(e);
  if (!terms.length) return symbolic ? '' : '—';
  const top = terms.map((t) => `${t.weight}×${symbolic ? componentNames[t.component][lang] : round2(t.value!)}`).join(' + ');
  const bottom = terms.map((t) => t.weight).join(' + ');
  const text = `(${top}) ÷ (${bottom})`;
  return symbolic ? text : `${text} = ${evaluate(e)}`;
}

function checkedMonth(month: string): { from: Date; to: Date; first: string; last: string } {
  const first = dayNumber(`${month}-01`);
  if (!/^\d{4}-\d{2}$/.test(month) || first === null) throw new DomainError('validation', { field: 'month' }, 'a month is YYYY-MM');
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = dayNumber(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`)!;
  return { from: new Date(chinaMidnight(first)), to: new Date(chinaMidnight(next)), first: `${month}-01`, last: dayFromNumber(next - 1) };
}

/** The weights in force for a jurisdiction: its own, else the nearest division above that set some, else the defaults. */
export async function weightsFor(db: Queryable, root: string): Promise<{ weights: Weights; divisionCode: string | null }> {
  const { rows: [row] } = await db.query<{ weights: Weights; divisionCode: string }>(
    `SELECT weights, division_code AS "divisionCode" FROM supervision_weights WHERE $1 LIKE rtrim(division_code, '0') || '%' ORDER BY length(rtrim(division_code, '0')) DESC LIMIT 1`,
    [root]);
  return row ? { weights: { ...defaultWeights, ...row.weights }, divisionCode: row.divisionCode } : { weights: defaultWeights, divisionCode: null };
}

/** The 督查室 sets the weights for its jurisdiction; they apply to every month shown after. */
export async function setWeights(ctx: Ctx, weights: Weights): Promise<{ weights: Weights; divisionCode: string | null }> {
  const root = ctx.actor.jurisdiction.root;
  if (!root) throw new DomainError('forbidden', { status: 403 }, 'weights belong to a jurisdiction');
  await assertOffice(ctx.tx, ctx.actor, a.setWeights, { divisionCode: root });
  for (const c of scoreComponents)
    if (!Number.isInteger(weights[c]) || weights[c] < 0 || weights[c] > 100) throw new DomainError('validation', { field: c }, 'a weight is 0 to 100');
  if (scoreComponents.every((c) => weights[c] === 0)) throw new DomainError('validation', { field: 'tasks' }, 'at least one weight above 0');
  await ctx.tx.query(
    `INSERT INTO supervision_weights (division_code, weights, updated_by, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (division_code) DO UPDATE SET weights = $2, updated_by = $3, updated_at = $4`, [root, weights, ctx.actor.name, ctx.now]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'supervision.weights.set', object: { type: 'division', id: root }, payload: weights, at: ctx.now });
  return { weights, divisionCode: root };
}

export interface DepartmentScore {
  department: { id: number; name: string };
  rates: Record<ScoreComponent, number | null>;
  counts: { tasks: number; problems: number; tickets: number; ratings: number };
  score: number | null;
  rank: number | null;
  /** The expression of this score, with its numbers. */
  formula: { zh: string; en: string };
}

export interface MonthlyScores {
  month: string;
  weights: Weights;
  /** The formula in words. */
  formula: { zh: string; en: string };
  rows: DepartmentScore[];
}

interface OnTime { department: number; total: number; onTime: number }

/**
 * Items counted in the month: closed in it, or due in it and either closed or past the deadline (one still
 * open before its deadline is not judged yet); on time when closed by the deadline.
 */
async function onTimeRates(db: Queryable, table: 'supervision_tasks' | 'supervision_problems', closedAt: string, period: { from: Date; to: Date },
  prefix: string, now: Date) {
  const { rows } = await db.query<OnTime>(
    `SELECT department_id::int AS department, count(*)::int AS total, count(*) FILTER (WHERE ${closedAt} <= due)::int AS "onTime"
       FROM ${table}
      WHERE division_code LIKE $3
        AND ((due >= $1 AND due < $2 AND (${closedAt} IS NOT NULL OR due < $4)) OR (${closedAt} >= $1 AND ${closedAt} < $2))
      GROUP BY department_id`, [period.from, period.to, `${prefix}%`, now]);
  return new Map(rows.map((r) => [r.department, r]));
}

/** Every department of the viewer's jurisdiction with something to score in the month, ranked. */
export async function monthlyScores(db: Queryable, actor: Actor, month: string, now = new Date()): Promise<MonthlyScores> {
  assertCan(actor, a.readScores);
  const root = actor.jurisdiction.root;
  if (root === null) throw new DomainError('forbidden', { status: 403 }, 'scores belong to a jurisdiction');
  const prefix = root === '' ? '' : divisionPrefix(root);
  const period = checkedMonth(month);
  const { weights } = await weightsFor(db, root);
  const tasks = await onTimeRates(db, 'supervision_tasks', 'closed_at', period, prefix, now);
  const problems = await onTimeRates(db, 'supervision_problems', 'accepted_at', period, prefix, now);
  // The hotline's and the ratings' figures are about departments, not people: read for the whole platform, then kept to the jurisdiction.
  const hotline = await computeMetrics(db, systemActor('supervision.scores'), { from: period.first, to: period.last, by: 'department' }, now);
  const ratings = await ratingFigures(db, 'department', prefix, 10_000, period);
  const hotlineBy = new Map(hotline.rows.map((r) => [Number(r.key), r]));
  const ratingsBy = new Map(ratings.map((r) => [Number(r.key), r]));
  const ids = [...new Set([...tasks.keys(), ...problems.keys(), ...hotlineBy.keys(), ...ratingsBy.keys()])].filter(Number.isInteger);
  const { rows: departments } = await db.query<{ id: number; name: string }>(
    'SELECT id::int, name FROM departments WHERE id = ANY($1::bigint[]) AND division_code LIKE $2 ORDER BY code', [ids, `${prefix}%`]);
  const rate = (r: OnTime | undefined) => (r && r.total ? round2((r.onTime / r.total) * 100) : null);
  const rows = departments.map((d): DepartmentScore => {
    const h = hotlineBy.get(d.id);
    const s = ratingsBy.get(d.id);
    const rates: Record<ScoreComponent, number | null> = {
      tasks: rate(tasks.get(d.id)), hotline: h?.score ?? null, ratings: s && s.total ? round2(s.satisfaction * 100) : null, problems: rate(problems.get(d.id)),
    };
    const e: Expression = { terms: scoreComponents.map((c) => ({ component: c, weight: weights[c], value: rates[c] })) };
    return {
      department: d, rates, score: evaluate(e), rank: null, formula: { zh: render(e, 'zh'), en: render(e, 'en') },
      counts: { tasks: tasks.get(d.id)?.total ?? 0, problems: problems.get(d.id)?.total ?? 0, tickets: h?.received ?? 0, ratings: s?.total ?? 0 },
    };
  });
  const ranked = rows.filter((r) => r.score !== null).sort((x, y) => y.score! - x.score!);
  ranked.forEach((row, i) => { row.rank = i > 0 && ranked[i - 1]!.score === row.score ? ranked[i - 1]!.rank : i + 1; });
  const symbolic: Expression = { terms: scoreComponents.map((c) => ({ component: c, weight: weights[c], value: null })) };
  return { month, weights, formula: { zh: render(symbolic, 'zh', true), en: render(symbolic, 'en', true) },
    rows: [...ranked, ...rows.filter((r) => r.score === null)] };
}

/** The weights the caller's scores are computed with. */
export async function currentWeights(db: Queryable, actor: Actor): Promise<{ weights: Weights; divisionCode: string | null }> {
  assertCan(actor, a.readScores);
  if (actor.jurisdiction.root === null) throw new DomainError('forbidden', { status: 403 }, 'scores belong to a jurisdiction');
  return weightsFor(db, actor.jurisdiction.root);
}
