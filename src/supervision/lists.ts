/** The problem lists: Zhejiang's seven (shipped) and any a city adds for itself. */
import { assertCan, inJurisdiction, type Actor, type Ctx } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { supervisionActions } from './policy.ts';

export interface ProblemList {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  builtin: boolean;
  divisionCode: string | null;
}

const columns = 'l.id, l.code, l.name_zh AS "nameZh", l.name_en AS "nameEn", l.builtin, l.division_code AS "divisionCode"';

/** The seven, the lists of the divisions above the actor (a city's lists hold in its counties) and those within the jurisdiction. */
export async function listLists(db: Queryable, actor: Actor): Promise<ProblemList[]> {
  assertCan(actor, supervisionActions.readProblems);
  const params: unknown[] = [actor.jurisdiction.root];
  const { rows } = await db.query<ProblemList>(
    `SELECT ${columns} FROM supervision_lists l
      WHERE l.builtin OR $1::text LIKE rtrim(l.division_code, '0') || '%' OR ${inJurisdiction('l.division_code', actor.jurisdiction, params)}
      ORDER BY l.builtin DESC, l.id`, params);
  return rows;
}

export async function findList(db: Queryable, actor: Actor, id: number): Promise<ProblemList> {
  const list = (await listLists(db, actor)).find((l) => l.id === id);
  if (!list) throw new DomainError('supervision.list.unknown', { field: 'listId', id }, `no problem list ${id}`);
  return list;
}

/** One of the seven shipped lists by its code, for modules that put their findings on it. */
export async function builtinListId(db: Queryable, code: string): Promise<number> {
  const { rows: [list] } = await db.query<{ id: number }>('SELECT id::int FROM supervision_lists WHERE builtin AND code = $1', [code]);
  if (!list) throw new DomainError('supervision.list.unknown', { field: 'listId' }, `no shipped problem list ${code}`);
  return list.id;
}

export interface AddList {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** A city's own list, kept under the actor's jurisdiction. */
export async function addList(ctx: Ctx, input: AddList): Promise<ProblemList> {
  const divisionCode = ctx.actor.jurisdiction.root;
  if (!divisionCode) throw new DomainError('forbidden', { status: 403 }, 'a list belongs to a jurisdiction');
  assertCan(ctx.actor, supervisionActions.manageLists, { divisionCode });
  const nameZh = input.nameZh.trim();
  if (!nameZh) throw new DomainError('validation', { field: 'nameZh' }, 'a name is required');
  const { rows: [list] } = await ctx.tx.query<ProblemList>(
    `INSERT INTO supervision_lists AS l (code, name_zh, name_en, division_code, created_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (code) DO NOTHING RETURNING ${columns}`, [input.code, nameZh, input.nameEn.trim() || nameZh, divisionCode, ctx.now]);
  if (!list) throw new DomainError('supervision.list.code-taken', { status: 409, field: 'code' }, `a list has the code ${input.code}`);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'supervision.list.added', object: { type: 'problem-list', id: list.id },
    payload: input, at: ctx.now });
  return list;
}
