/**
 * 知识库: the answers the centre gives to consultations (咨询), e.g. how to replace a social security
 * card. Operators search it while a caller talks (jieba words and character pairs of the question and
 * keywords, ranked by how many the query shares); a consultation answered from an entry is closed at
 * once through the `answer` transition. The centre and admins edit it.
 */
import { assertCan, type Actor, type Ctx } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { requireCategory } from './catalogue.ts';
import { tokenize } from './classifier/index.ts';
import { assertCentreOrAdmin, hotlineActions } from './policy.ts';
import type { Ticket } from './tickets.ts';
import { answerTicket } from './workflow.ts';
import demoKnowledgeJson from './data/knowledge.json' with { type: 'json' };

const demoKnowledge: SaveKnowledge[] = demoKnowledgeJson;

export interface KnowledgeEntry {
  id: number;
  question: string;
  answer: string;
  keywords: string;
  categoryCode: string | null;
  active: boolean;
  updatedAt: Date;
  /** How many search tokens the entry shares with the query (0 without a query). */
  score: number;
}

/** Search tokens: jieba words and character pairs (single characters match too much). */
const searchTokens = (text: string) => [...new Set(tokenize(text).filter((t) => !t.startsWith('^')))];

const columns = `k.id::int, k.question, k.answer, k.keywords, (SELECT c.code FROM hotline_categories c WHERE c.id = k.category_id) AS "categoryCode",
  k.active, k.updated_at AS "updatedAt"`;

/** Entries matching `q` best first (all active ones by id without it); inactive ones only when asked. */
export async function listKnowledge(db: Queryable, actor: Actor, query: { q?: string; all?: boolean; limit?: number }): Promise<KnowledgeEntry[]> {
  assertCan(actor, hotlineActions.read);
  const tokens = query.q ? searchTokens(query.q) : [];
  const params: unknown[] = [tokens, query.limit ?? 20];
  const where = [query.all ? 'true' : 'k.active'];
  if (query.q) where.push('k.tokens && $1::text[]');
  const { rows } = await db.query<KnowledgeEntry>(
    `SELECT ${columns}, cardinality(ARRAY(SELECT unnest(k.tokens) INTERSECT SELECT unnest($1::text[])))::int AS score
       FROM hotline_knowledge k WHERE ${where.join(' AND ')} ORDER BY score DESC, k.id LIMIT $2`, params);
  return rows;
}

async function findEntry(db: Queryable, id: number): Promise<KnowledgeEntry | null> {
  const { rows } = await db.query<KnowledgeEntry>(`SELECT ${columns}, 0 AS score FROM hotline_knowledge k WHERE k.id = $1`, [id]);
  return rows[0] ?? null;
}

const entryNotFound = (id: number, field?: string) =>
  new DomainError('hotline.knowledge.not-found', { status: field ? 400 : 404, field, id }, `no knowledge entry ${id}`);

export interface SaveKnowledge {
  /** Absent: a new entry. */
  id?: number;
  question: string;
  answer: string;
  keywords?: string;
  categoryCode?: string | null;
  active?: boolean;
}

const text = (value: string, field: string, max: number) => {
  const trimmed = value.trim();
  if (!trimmed) throw new DomainError('validation', { field }, `${field} is required`);
  if (trimmed.length > max) throw new DomainError('validation', { field }, `${field} is longer than ${max}`);
  return trimmed;
};

/** Adds an entry, or replaces one (by id); a ledger entry either way. */
export async function saveKnowledge(ctx: Ctx, input: SaveKnowledge): Promise<KnowledgeEntry> {
  await assertCentreOrAdmin(ctx.tx, ctx.actor, 'hotline.knowledge.edit');
  const question = text(input.question, 'question', 500);
  const answer = text(input.answer, 'answer', 4000);
  const keywords = (input.keywords ?? '').trim();
  const category = input.categoryCode ? await requireCategory(ctx.tx, input.categoryCode) : null;
  const values = [question, answer, keywords, category?.id ?? null, input.active ?? true, searchTokens(`${question} ${keywords}`), ctx.now];
  let id: number;
  if (input.id === undefined) {
    const { rows } = await ctx.tx.query<{ id: number }>(
      `INSERT INTO hotline_knowledge (question, answer, keywords, category_id, active, tokens, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       RETURNING id::int`, values);
    id = rows[0]!.id;
  } else {
    const { rowCount } = await ctx.tx.query(
      `UPDATE hotline_knowledge SET question = $1, answer = $2, keywords = $3, category_id = $4, active = $5, tokens = $6, updated_at = $7
        WHERE id = $8`, [...values, input.id]);
    if (!rowCount) throw entryNotFound(input.id);
    id = input.id;
  }
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'hotline.knowledge.saved', object: { type: 'hotline-knowledge', id }, at: ctx.now,
    payload: { id, question, answer, keywords, categoryCode: category?.code ?? null, active: input.active ?? true } });
  return (await findEntry(ctx.tx, id))!;
}

/** Answers a consultation (咨询) with an active entry's answer and closes it at once (the `answer` transition). */
export async function answerFromKnowledge(ctx: Ctx, input: { ticketId: number; knowledgeId: number }): Promise<Ticket> {
  const entry = await findEntry(ctx.tx, input.knowledgeId);
  if (!entry || !entry.active) throw entryNotFound(input.knowledgeId, 'knowledgeId');
  return answerTicket(ctx, { ticketId: input.ticketId, answer: entry.answer });
}

/** 知识库 entries of the demo: answers to common consultations (社保卡补办, 公积金提取, 居住证办理, …), added when missing. */
export async function loadDemoKnowledge(ctx: Ctx): Promise<number> {
  let added = 0;
  for (const entry of demoKnowledge) {
    const { rowCount } = await ctx.tx.query('SELECT 1 FROM hotline_knowledge WHERE question = $1', [entry.question]);
    if (rowCount) continue;
    await saveKnowledge(ctx, entry);
    added++;
  }
  return added;
}
