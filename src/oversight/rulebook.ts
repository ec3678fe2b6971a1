/**
 * The rule library (规则库): rules with their rationale, legal basis, severity, scope and owner, each edit a new
 * version. A version is dry-run over history (试运行) before it may be activated; the stream then runs it.
 * Dismissals of a version's alerts feed back a suggested threshold.
 */
import { assertCan, type Actor, type Ctx } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError, notFound } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import type { Emission } from './engine.ts';
import { ruleLibrary, type LibraryRule } from './library.ts';
import { oversightActions } from './policy.ts';
import { parseRule, type RuleDefinition } from './rules.ts';
import { evaluateRange, indexSince } from './stream.ts';

export interface RuleText {
  nameZh: string;
  nameEn: string;
  rationale: string;
  legalBasis: string;
  severity: 'red' | 'yellow';
  scope: string;
  /** The definition as JSON text: parsed and bounded here, refused with the reason otherwise. */
  definition: string;
}

export interface DryRun {
  days: number;
  scanned: number;
  total: number;
  people: { id: string; count: number }[];
  sample: Omit<Emission, 'ruleVersionId'>[];
  ms: number;
}

/** A stored version of a rule: the library's fields (the code sits on the rule), with who made it and when. */
export interface RuleVersionRow extends Omit<LibraryRule, 'code'> {
  id: number;
  version: number;
  createdBy: string;
  createdAt: Date;
  testedAt: Date | null;
  tested: DryRun | null;
}

export interface Feedback {
  alerts: number;
  confirmed: number;
  dismissed: number;
  /** A stricter threshold when most handled alerts were dismissed: the parameter and its suggested value. */
  suggestion: { parameter: string; value: number } | null;
}

export interface Rule {
  id: number;
  code: string;
  ownerId: string;
  activeVersion: number | null;
  versions: RuleVersionRow[];
  feedback: Feedback;
}

const versionColumns = `v.id, v.version, v.name_zh AS "nameZh", v.name_en AS "nameEn", v.rationale, v.legal_basis AS "legalBasis", v.severity,
  v.scope, v.definition, v.created_by AS "createdBy", v.created_at AS "createdAt", v.tested_at AS "testedAt", v.tested`;

function requireText(input: RuleText): RuleDefinition {
  for (const field of ['nameZh', 'nameEn', 'rationale', 'legalBasis', 'scope'] as const) {
    if (!input[field].trim()) throw new DomainError('oversight.reason-required', { field }, `${field} is required`);
  }
  return parseRule(input.definition);
}

async function insertVersion(ctx: Ctx, ruleId: number, version: number, input: RuleText, definition: RuleDefinition): Promise<number> {
  const { rows: [row] } = await ctx.tx.query<{ id: number }>(
    `INSERT INTO oversight_rule_versions (rule_id, version, name_zh, name_en, rationale, legal_basis, severity, scope, definition, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
    [ruleId, version, input.nameZh.trim(), input.nameEn.trim(), input.rationale.trim(), input.legalBasis.trim(), input.severity, input.scope.trim(),
      definition, ctx.actor.id, ctx.now]);
  return row!.id;
}

/** 新增规则: a rule and its first version, a draft until dry-run and activated. */
export async function createRule(ctx: Ctx, input: RuleText & { code: string }): Promise<Rule> {
  assertCan(ctx.actor, oversightActions.editRules);
  const definition = requireText(input);
  const { rows: [rule] } = await ctx.tx.query<{ id: number }>(
    'INSERT INTO oversight_rules (code, owner_id, created_at) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING RETURNING id', [input.code, ctx.actor.id, ctx.now]);
  if (!rule) throw new DomainError('oversight.rule.code-taken', { status: 409, field: 'code' }, 'code taken');
  await insertVersion(ctx, rule.id, 1, input, definition);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'oversight.rule.created', object: { type: 'oversight-rule', id: rule.id }, payload: input, at: ctx.now });
  return getRule(ctx.tx, rule.id);
}

/** 修改规则: a new version; the active one keeps running, and past alerts keep the version that raised them. */
export async function editRule(ctx: Ctx, input: RuleText & { ruleId: number }): Promise<Rule> {
  assertCan(ctx.actor, oversightActions.editRules);
  const definition = requireText(input);
  const { rows: [last] } = await ctx.tx.query<{ version: number }>(
    'SELECT max(version) AS version FROM oversight_rule_versions WHERE rule_id = $1', [input.ruleId]);
  if (!last?.version) throw notFound('oversight.rule', input.ruleId);
  await ctx.tx.query('SELECT 1 FROM oversight_rules WHERE id = $1 FOR UPDATE', [input.ruleId]);
  await insertVersion(ctx, input.ruleId, last.version + 1, input, definition);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'oversight.rule.versioned', object: { type: 'oversight-rule', id: input.ruleId },
    payload: { ...input, version: last.version + 1 }, at: ctx.now });
  return getRule(ctx.tx, input.ruleId);
}

async function versionOf(db: Queryable, ruleId: number, version: number): Promise<RuleVersionRow> {
  const { rows: [row] } = await db.query<RuleVersionRow>(
    `SELECT ${versionColumns} FROM oversight_rule_versions v WHERE v.rule_id = $1 AND v.version = $2`, [ruleId, version]);
  if (!row) throw new DomainError('oversight.rule.not-found', { status: 404, field: 'version' }, `rule ${ruleId} has no version ${version}`);
  return row;
}

/** Runs one version over history without storing alerts: what it would have raised over the last `days` days. */
export async function dryRunVersion(db: Queryable, version: { id: number; definition: RuleDefinition }, days: number, now: Date): Promise<DryRun> {
  const started = Date.now();
  const from = await indexSince(db, new Date(now.getTime() - days * 86_400_000));
  const { rows: [size] } = await db.query<{ n: number }>('SELECT coalesce(max(leaf_index) + 1, 0) AS n FROM ledger_entries');
  const emitted = await evaluateRange(db, [version], from, size!.n);
  const byPerson = new Map<string, number>();
  for (const e of emitted) for (const p of e.people) byPerson.set(p, (byPerson.get(p) ?? 0) + 1);
  return {
    days, scanned: size!.n - from, total: emitted.length,
    people: [...byPerson].map(([id, count]) => ({ id, count })).sort((a, b) => b.count - a.count).slice(0, 10),
    sample: emitted.slice(0, 20).map(({ ruleVersionId: _, ...e }) => e), ms: Date.now() - started,
  };
}

/** 试运行: dry-runs a version over the last `days` days and keeps the result on the version. */
export async function testRule(ctx: Ctx, input: { ruleId: number; version: number; days: number }): Promise<DryRun> {
  assertCan(ctx.actor, oversightActions.editRules);
  const version = await versionOf(ctx.tx, input.ruleId, input.version);
  const result = await dryRunVersion(ctx.tx, version, input.days, ctx.now);
  await ctx.tx.query('UPDATE oversight_rule_versions SET tested_at = $2, tested = $3 WHERE id = $1', [version.id, ctx.now, result]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'oversight.rule.tested', object: { type: 'oversight-rule', id: input.ruleId },
    payload: { version: input.version, days: input.days, total: result.total }, at: ctx.now });
  return result;
}

/** 启用: the stream runs this version from now on (from the cursor); it must have been dry-run. */
export async function activateRule(ctx: Ctx, input: { ruleId: number; version: number | null }): Promise<Rule> {
  assertCan(ctx.actor, oversightActions.editRules);
  if (input.version !== null && (await versionOf(ctx.tx, input.ruleId, input.version)).testedAt === null) {
    throw new DomainError('oversight.rule.untested', { status: 409, field: 'version' }, 'dry-run it first');
  }
  const { rowCount } = await ctx.tx.query('UPDATE oversight_rules SET active_version = $2 WHERE id = $1', [input.ruleId, input.version]);
  if (!rowCount) throw notFound('oversight.rule', input.ruleId);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: input.version === null ? 'oversight.rule.deactivated' : 'oversight.rule.activated',
    object: { type: 'oversight-rule', id: input.ruleId }, payload: input, at: ctx.now });
  return getRule(ctx.tx, input.ruleId);
}

/** A stricter value of the rule's threshold, when inspectors dismissed most of what it raised (at least 5 handled). */
function suggest(definition: RuleDefinition, confirmed: number, dismissed: number): Feedback['suggestion'] {
  if (dismissed + confirmed < 5 || dismissed / (dismissed + confirmed) < 0.5) return null;
  switch (definition.kind) {
    case 'count': return { parameter: 'atLeast', value: Math.ceil(definition.atLeast * 1.25) };
    case 'outlier': return { parameter: 'z', value: definition.z + 1 };
    case 'gap': return { parameter: 'from', value: Math.min(definition.to - 1, Math.ceil(definition.from * 1.25)) };
    case 'absent': return { parameter: 'within', value: Math.ceil(definition.within * 1.25) };
    case 'share': return { parameter: 'atLeast', value: Math.min(1, Math.round(definition.atLeast * 125) / 100) };
    default: return null;
  }
}

const ruleFrom = `SELECT r.id, r.code, r.owner_id AS "ownerId", r.active_version AS "activeVersion" FROM oversight_rules r`;

async function assemble(db: Queryable, rules: Omit<Rule, 'versions' | 'feedback'>[]): Promise<Rule[]> {
  if (rules.length === 0) return [];
  const ids = rules.map((r) => r.id);
  const { rows: versions } = await db.query<RuleVersionRow & { ruleId: number }>(
    `SELECT v.rule_id AS "ruleId", ${versionColumns} FROM oversight_rule_versions v WHERE v.rule_id = ANY($1) ORDER BY v.version DESC`, [ids]);
  const { rows: counts } = await db.query<{ ruleId: number; alerts: number; confirmed: number; dismissed: number }>(
    `SELECT v.rule_id AS "ruleId", count(*)::int AS alerts, count(*) FILTER (WHERE al.state IN ('confirmed', 'case', 'closed'))::int AS confirmed,
       count(*) FILTER (WHERE al.state = 'dismissed')::int AS dismissed
     FROM oversight_alerts al JOIN oversight_rule_versions v ON v.id = al.rule_version_id
     JOIN oversight_rules r ON r.id = v.rule_id AND v.version = coalesce(r.active_version, v.version)
     WHERE v.rule_id = ANY($1) GROUP BY v.rule_id`, [ids]);
  return rules.map((rule) => {
    const own = versions.filter((v) => v.ruleId === rule.id).map(({ ruleId: _, ...v }) => v);
    const c = counts.find((x) => x.ruleId === rule.id) ?? { alerts: 0, confirmed: 0, dismissed: 0 };
    const active = own.find((v) => v.version === rule.activeVersion) ?? own[0]!;
    return { ...rule, versions: own, feedback: { alerts: c.alerts, confirmed: c.confirmed, dismissed: c.dismissed, suggestion: suggest(active.definition, c.confirmed, c.dismissed) } };
  });
}

export async function getRule(db: Queryable, id: number): Promise<Rule> {
  const { rows } = await db.query<Omit<Rule, 'versions' | 'feedback'>>(`${ruleFrom} WHERE r.id = $1`, [id]);
  if (!rows[0]) throw notFound('oversight.rule', id);
  return (await assemble(db, rows))[0]!;
}

/** The library, each rule with its versions (newest first) and the feedback of its running version. */
export async function listRules(db: Queryable, actor: Actor): Promise<Rule[]> {
  assertCan(actor, oversightActions.readAlerts);
  const { rows } = await db.query<Omit<Rule, 'versions' | 'feedback'>>(`${ruleFrom} ORDER BY r.id`);
  return assemble(db, rows);
}

/**
 * Puts the library's rules an installation does not have yet into it: each created, dry-run over the last 30 days
 * and activated, by the acting process. Idempotent.
 */
export async function installLibrary(ctx: Ctx): Promise<number> {
  const { rows } = await ctx.tx.query<{ code: string }>('SELECT code FROM oversight_rules');
  const have = new Set(rows.map((r) => r.code));
  let added = 0;
  for (const rule of ruleLibrary.filter((r) => !have.has(r.code))) {
    const { code, definition, ...text } = rule;
    const created = await createRule(ctx, { code, ...text, definition: JSON.stringify(definition) });
    await testRule(ctx, { ruleId: created.id, version: 1, days: 30 });
    await activateRule(ctx, { ruleId: created.id, version: 1 });
    added++;
  }
  return added;
}
