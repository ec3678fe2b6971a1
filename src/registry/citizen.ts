/**
 * 我的档案: a citizen sees the golden record that carries their own resident ID (and nobody else's), each
 * field with the department whose record gave it and when, and files a correction (纠错): it goes to the
 * department owning that record as a hub objection (疑义), with the hub's deadline in working days.
 */
import { assertCan, getUser, systemActor, type Actor, type Ctx } from '../kernel/auth/index.ts';
import type { Queryable } from '../kernel/db/index.ts';
import { DomainError } from '../kernel/errors.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { raiseObjection } from '../hub/index.ts';
import type { CertificateEntry } from '../services/index.ts';
import { certificatesOfEntity } from './entities.ts';
import { libraryFields } from './libraries.ts';
import { registryActions } from './policy.ts';
import type { GoldenFields } from './resolve.ts';
import { findLibrary, findSource } from './sources.ts';

export interface MyField {
  field: string;
  value: string;
  sourceName: string;
  providerName: string;
  at: string;
  correction: { objectionId: number; dueAt: string; at: string } | null;
}

export interface MyRecord {
  entityId: number | null;
  fields: MyField[];
  /** 电子证照库: the certificates issued about the citizen */
  certificates: CertificateEntry[];
}

async function ownEntity(db: Queryable, actor: Actor): Promise<{ id: number; subject: string; golden: GoldenFields } | null> {
  assertCan(actor, registryActions.own);
  if (actor.kind !== 'citizen') throw new DomainError('registry.citizens-only', { status: 403 }, 'citizens only');
  const idNumber = (await getUser(db, Number(actor.id)))?.id_number;
  if (!idNumber) return null;
  const { rows } = await db.query<{ id: number; subject: string; golden: GoldenFields }>(
    `SELECT id::int, subject, golden FROM registry_entities WHERE library = 'people' AND subject = $1 AND golden <> '{}' ORDER BY id LIMIT 1`, [idNumber]);
  return rows[0] ?? null;
}

/** The citizen's own golden record, field by field with its source; empty when the libraries hold nothing on them. */
export async function myRecord(db: Queryable, actor: Actor): Promise<MyRecord> {
  const entity = await ownEntity(db, actor);
  if (!entity) return { entityId: null, fields: [], certificates: [] };
  const { rows: sources } = await db.query<{ recordId: number; sourceName: string; providerName: string; at: string }>(
    `SELECT r.id::int AS "recordId", s.resource_name AS "sourceName", d.name AS "providerName", to_json(r.changed_at) #>> '{}' AS at
       FROM registry_records r JOIN registry_sources s ON s.id = r.source_id JOIN departments d ON d.id = s.provider_department_id WHERE r.entity_id = $1`,
    [entity.id]);
  const { rows: corrections } = await db.query<{ field: string; objectionId: number; dueAt: string; at: string }>(
    `SELECT field, objection_id::int AS "objectionId", to_json(due_at) #>> '{}' AS "dueAt", to_json(at) #>> '{}' AS at
       FROM registry_corrections WHERE entity_id = $1 ORDER BY id`, [entity.id]);
  const byRecord = new Map(sources.map((s) => [s.recordId, s]));
  const fields = libraryFields.people.flatMap((f) => {
    const g = entity.golden[f.code];
    const source = g && byRecord.get(g.recordId);
    if (!g || !source) return [];
    const correction = corrections.filter((c) => c.field === f.code).at(-1);
    return [{ field: f.code, value: g.value, sourceName: source.sourceName, providerName: source.providerName, at: source.at,
      correction: correction ? { objectionId: correction.objectionId, dueAt: correction.dueAt, at: correction.at } : null }];
  });
  return { entityId: entity.id, fields, certificates: await certificatesOfEntity(db, { library: 'people', subject: entity.subject }) };
}

/** 纠错: the citizen says a field of their record is wrong; the owning department gets it as an objection with a deadline. */
export async function fileCorrection(ctx: Ctx, input: { field: string; description: string }): Promise<MyRecord> {
  const entity = await ownEntity(ctx.tx, ctx.actor);
  if (!entity) throw new DomainError('registry.no-record', { status: 404 }, 'no record of yours');
  const golden = entity.golden[input.field];
  if (!golden) throw new DomainError('registry.unknown-field', { field: 'field' }, `${input.field} is not a field of your record`);
  const { rows } = await ctx.tx.query<{ sourceId: number; sourceKey: string }>(
    'SELECT source_id::int AS "sourceId", source_key AS "sourceKey" FROM registry_records WHERE id = $1', [golden.recordId]);
  const source = (await findSource(ctx.tx, rows[0]!.sourceId))!;
  const library = (await findLibrary(ctx.tx, 'people'))!;
  // The library's keeper raises it for the citizen: the hub's objections are between departments.
  const keeper: Ctx = { ...ctx, actor: { ...systemActor('registry'), departmentId: library.departmentId } };
  const objection = await raiseObjection(keeper, { code: source.resourceCode, rowKey: rows[0]!.sourceKey, fieldCode: source.mapping[input.field]!,
    description: `市民通过“我的档案”提出纠错：${input.description}` });
  await ctx.tx.query(`INSERT INTO registry_corrections (entity_id, citizen_id, field, objection_id, description, at, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [entity.id, Number(ctx.actor.id), input.field, objection.id, input.description, ctx.now, objection.dueAt]);
  await appendToLedger(ctx.tx, { actor: ctx.actor, action: 'registry.correction.filed', object: { type: 'registry-entity', id: entity.id },
    payload: { field: input.field, objectionId: objection.id, dueAt: objection.dueAt } });
  return myRecord(ctx.tx, ctx.actor);
}
