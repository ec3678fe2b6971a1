/**
 * The stages of a load that run the matching engine (./match) over the stored records: clean, match (train
 * the model with the clerical decisions as labels, score the pairs that involve the load's records), cluster
 * (entities from the match-band and decided pairs), golden (survivorship per field, conflicts, the hub copy).
 * Each stage step returns whether it has more to do; the load commits after each step.
 */
import { systemActor, type Ctx } from '../kernel/auth/index.ts';
import { ttlCache } from '../kernel/cache.ts';
import type { Queryable, Tx } from '../kernel/db/index.ts';
import { appendToLedger } from '../kernel/ledger/index.ts';
import { pushRows } from '../hub/index.ts';
import {
  cleanRecord, clusterPairs, codePrefix, divisionIndex, goldenRecord, identitiesOf, IncrementalMatcher, librarySchemas, scorer, trainModel, type CleanRecord, type DivisionIndex,
  type Label, type LibrarySchema, type MatchModel, type ScoredPair,
} from './match/index.ts';
import { libraryFields, subjectField, type Library } from './libraries.ts';
import { countLoad } from './progress.ts';
import { findLibrary, type Source } from './sources.ts';

/** The engine's schema of each library. */
export const schemaOf: Record<Library, LibrarySchema> = { people: librarySchemas.person, companies: librarySchemas.company };

/**
 * Per field of a golden record: the value in standard form, as the winning record wrote it, the record and source
 * it came from, when, the survivorship rule and why it won.
 */
export type GoldenFields = Record<string, { value: string; original: string; recordId: number; sourceId: number; at: string; rule: string; reason: string }>;
/** Per field whose records disagree: each value and the records and sources holding it. */
export type FieldConflicts = Record<string, { value: string; recordIds: number[]; sourceIds: number[] }[]>;

// Pairs at or above this probability but below the model's threshold go to clerical review.
export const reviewFloor = 0.05;

const divisions = ttlCache<DivisionIndex>(3_600_000);
const divisionsOf = (db: Queryable) => divisions.get('all', async () =>
  divisionIndex((await db.query<{ code: string; name: string }>('SELECT code, name FROM divisions')).rows));

const cleanBatch = 2_000;

/** Stage clean: the load's records not cleaned yet, a batch at a time; findings kept with the record, values never corrected. */
export async function cleanLoad(tx: Tx, loadId: number, source: Source, now: Date): Promise<boolean> {
  const { rows } = await tx.query<{ id: string; raw: Record<string, string | null>; changedAt: string }>(
    `SELECT id::text AS id, raw, to_json(changed_at) #>> '{}' AS "changedAt" FROM registry_records WHERE load_id = $1 AND clean IS NULL ORDER BY id LIMIT $2`,
    [loadId, cleanBatch]);
  if (rows.length === 0) return false;
  const schema = schemaOf[source.library];
  const options = { divisions: await divisionsOf(tx) };
  const cleaned = rows.map((r) => cleanRecord(schema, { id: r.id, source: String(source.id), updatedAt: r.changedAt, values: r.raw }, options));
  // A record belongs where its address (or else its 户籍) places it within the source's division, so that a
  // county's staff find their own people in a city-wide source; an address elsewhere leaves it at the source's.
  const addresses = schema.fields.flatMap((f, i) => (f.type === 'address' ? [i] : []));
  const within = codePrefix(source.divisionCode);
  const divisionOf = (c: CleanRecord) => addresses.map((i) => c.features[i]?.division).find((d) => d?.startsWith(within)) ?? source.divisionCode;
  await tx.query(`UPDATE registry_records r SET clean = u.c, findings = u.f, division_code = u.d
                    FROM unnest($1::bigint[], $2::jsonb[], $3::jsonb[], $4::text[]) AS u (id, c, f, d) WHERE r.id = u.id`,
    [rows.map((r) => r.id), cleaned.map((c) => JSON.stringify(c.clean)), cleaned.map((c) => JSON.stringify(c.findings)), cleaned.map((c) => divisionOf(c.clean))]);
  await countLoad(tx, loadId, { cleaned: rows.length, steps: cleaned.reduce((n, c) => n + c.steps.length, 0),
    findings: cleaned.reduce((n, c) => n + c.findings.length, 0) }, now);
  return rows.length === cleanBatch;
}

async function libraryRecords(tx: Queryable, library: Library): Promise<CleanRecord[]> {
  const { rows } = await tx.query<{ clean: CleanRecord }>(`SELECT clean FROM registry_records WHERE library = $1 AND clean IS NOT NULL ORDER BY id`, [library]);
  return rows.map((r) => r.clean);
}

/** The clerical decisions of a library, as training labels. */
async function labelsOf(tx: Queryable, library: Library): Promise<Label[]> {
  const { rows } = await tx.query<{ a: string; b: string; match: boolean }>(
    `SELECT left_id::text AS a, right_id::text AS b, decision = 'match' AS match FROM registry_pairs WHERE library = $1 AND decision IS NOT NULL`, [library]);
  return rows;
}

export async function findModel(db: Queryable, library: Library): Promise<MatchModel | null> {
  return (await db.query<{ model: MatchModel }>('SELECT model FROM registry_models WHERE library = $1', [library])).rows[0]?.model ?? null;
}

const ordered = (p: ScoredPair) => (Number(p.a) < Number(p.b) ? [Number(p.a), Number(p.b)] : [Number(p.b), Number(p.a)]);

/** Training again is worth it when the library grew by more than this share since the model was trained on it. */
const retrainGrowth = 0.2;

/**
 * The library's model: the stored one, or one trained again over all its records with every decision so far as
 * a label when there is none, a decision was made since it was trained, or the library has grown by more than a
 * fifth since. `trained` says which.
 */
async function modelFor(tx: Tx, library: Library, records: CleanRecord[], now: Date): Promise<{ model: MatchModel; trained: boolean }> {
  const { rows: [stored] } = await tx.query<{ model: MatchModel; decidedSince: boolean }>(
    `SELECT model, EXISTS (SELECT 1 FROM registry_pairs p WHERE p.library = m.library AND p.decided_at >= m.trained_at) AS "decidedSince"
       FROM registry_models m WHERE library = $1`, [library]);
  if (stored && !stored.decidedSince && records.length <= stored.model.training.records * (1 + retrainGrowth)) return { model: stored.model, trained: false };
  const model = trainModel(schemaOf[library], records, { labels: await labelsOf(tx, library) });
  await tx.query(`INSERT INTO registry_models (library, model, trained_at) VALUES ($1, $2, $3)
    ON CONFLICT (library) DO UPDATE SET model = EXCLUDED.model, trained_at = EXCLUDED.trained_at`, [library, JSON.stringify(model), now]);
  return { model, trained: true };
}

/**
 * Stage match: the load's records (new and changed) go through the incremental matcher: each is compared with
 * the library's other records it shares a block with (and the load's records before it), not the whole library
 * with itself. The pairs found are stored with their weight's parts, in the match band or the review band;
 * decided pairs keep their decision. The model is the stored one unless it must be trained again (`modelFor`).
 */
export async function matchLoad(tx: Tx, loadId: number, source: Source, now: Date): Promise<boolean> {
  const records = await libraryRecords(tx, source.library);
  if (records.length < 2) return false;
  const { model, trained } = await modelFor(tx, source.library, records, now);
  const changed = new Set((await tx.query<{ id: string }>('SELECT id::text AS id FROM registry_records WHERE load_id = $1', [loadId])).rows.map((r) => r.id));
  await tx.query(`DELETE FROM registry_pairs WHERE decision IS NULL AND (left_id IN (SELECT id FROM registry_records WHERE load_id = $1)
    OR right_id IN (SELECT id FROM registry_records WHERE load_id = $1))`, [loadId]);
  const byId = new Map(records.map((r) => [r.id, r]));
  const matcher = new IncrementalMatcher(model, records.filter((r) => !changed.has(r.id)));
  const found = matcher.match(records.filter((r) => changed.has(r.id)), reviewFloor);
  const division = new Map((await tx.query<{ id: string; d: string }>('SELECT id::text AS id, division_code AS d FROM registry_records WHERE id = ANY($1::bigint[])',
    [[...new Set(found.map((p) => p.a))]])).rows.map((r) => [r.id, r.d]));
  const explain = scorer(model);
  // Two different valid ID numbers are two people, however alike the rest: such a pair is not worth a clerk's time.
  const identities = identitiesOf(model, records);
  const differentIds = (p: ScoredPair) => {
    const [a, b] = [identities(p.a), identities(p.b)];
    return a.length > 0 && b.length > 0 && !a.some((v) => b.includes(v));
  };
  const band = (p: ScoredPair) => (differentIds(p) ? 'non-match' : p.probability >= model.threshold ? 'match' : 'review');
  for (let i = 0; i < found.length; i += 1_000) {
    const batch = found.slice(i, i + 1_000);
    const ends = batch.map(ordered);
    await tx.query(
      `INSERT INTO registry_pairs (library, left_id, right_id, weight, probability, parts, band, division_code, load_id)
       SELECT $1, l, r, w, p, parts, b, d, $9 FROM unnest($2::bigint[], $3::bigint[], $4::float8[], $5::float8[], $6::jsonb[], $7::text[], $8::text[])
         AS u (l, r, w, p, parts, b, d)
       ON CONFLICT (left_id, right_id) DO UPDATE SET weight = EXCLUDED.weight, probability = EXCLUDED.probability, parts = EXCLUDED.parts,
         band = EXCLUDED.band, load_id = EXCLUDED.load_id`,
      [source.library, ends.map((e) => e[0]), ends.map((e) => e[1]), batch.map((p) => p.weight), batch.map((p) => p.probability),
        batch.map((p) => JSON.stringify(explain.explain(byId.get(p.a)!, byId.get(p.b)!))), batch.map(band),
        batch.map((p) => division.get(p.a)!), loadId]);
  }
  await countLoad(tx, loadId, { pairs: found.length, review: found.filter((p) => band(p) === 'review').length, trained: trained ? 1 : 0 }, now);
  return false;
}

/** Pairs that join two records: decided "match", or in the match band and undecided. */
const joining = `(p.decision = 'match' OR (p.decision IS NULL AND p.band = 'match'))`;

/**
 * Stage cluster: entities from the pairs in the match band or decided "match" (never across a "non-match"
 * decision), for the components holding the load's records. Only the records the load can move are read: its
 * own, those they are joined to, and every record of those records' entities; the rest of the library keeps its
 * entities as they are. A component keeps the entity most of its records had; records arriving from another
 * entity are a merge, on the entity's history and the ledger.
 */
export async function clusterLoad(tx: Tx, loadId: number, source: Source, now: Date): Promise<boolean> {
  const library = source.library;
  const model = await findModel(tx, library);
  const { rows: current } = await tx.query<{ id: string; entityId: number | null; divisionCode: string; loadId: number; clean: CleanRecord }>(
    `WITH own AS (SELECT id, entity_id FROM registry_records WHERE load_id = $1 AND clean IS NOT NULL),
          linked AS (SELECT p.left_id AS id FROM registry_pairs p JOIN own ON own.id = p.right_id WHERE ${joining}
                     UNION SELECT p.right_id FROM registry_pairs p JOIN own ON own.id = p.left_id WHERE ${joining}
                     UNION SELECT id FROM own)
     SELECT r.id::text AS id, r.entity_id::int AS "entityId", r.division_code AS "divisionCode", r.load_id::int AS "loadId", r.clean
       FROM registry_records r
      WHERE r.clean IS NOT NULL AND (r.id IN (SELECT id FROM linked)
        OR r.entity_id IN (SELECT x.entity_id FROM registry_records x WHERE x.id IN (SELECT id FROM linked)))`, [loadId]);
  const records = current.map((r) => r.clean);
  const { rows: edges } = await tx.query<{ a: string; b: string; weight: number; probability: number }>(
    `SELECT left_id::text AS a, right_id::text AS b, weight, CASE WHEN decision = 'match' THEN 1 ELSE probability END AS probability FROM registry_pairs p
      WHERE p.left_id = ANY($1::bigint[]) AND p.right_id = ANY($1::bigint[]) AND ${joining}`, [current.map((r) => r.id)]);
  const clustering = clusterPairs(edges, { threshold: 0, ...(model ? { identities: identitiesOf(model, records) } : {}) });
  const entityOfRecord = new Map(current.map((r) => [r.id, r.entityId]));
  const ofLoad = new Set(current.filter((r) => r.loadId === loadId).map((r) => r.id));
  const divisionOf = new Map(current.map((r) => [r.id, r.divisionCode]));
  // The groups to settle: the components with a record of this load, and this load's records in no component.
  const groups: string[][] = clustering.entities.filter((g) => g.some((id) => ofLoad.has(id)));
  for (const id of ofLoad) if (!clustering.entityOf.has(id)) groups.push([id]);
  groups.sort((x, y) => y.length - x.length);
  const claimed = new Set<number>();
  const touched = new Set<number>();
  let created = 0;
  let merged = 0;
  const system = systemActor('registry');
  for (const group of groups) {
    const votes = new Map<number, number>();
    for (const id of group) {
      const e = entityOfRecord.get(id);
      if (e !== null && e !== undefined && !claimed.has(e)) votes.set(e, (votes.get(e) ?? 0) + 1);
    }
    let target = [...votes.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0]?.[0];
    if (target === undefined) {
      const { rows } = await tx.query<{ id: string }>(`INSERT INTO registry_entities (library, division_code, updated_at) VALUES ($1, $2, $3) RETURNING id`,
        [library, divisionOf.get(group[0]!)!, now]);
      target = Number(rows[0]!.id);
      await tx.query(`INSERT INTO registry_history (entity_id, action, detail, actor, at) VALUES ($1, 'created', $2, 'system:registry', $3)`,
        [target, JSON.stringify({ records: group.map(Number), loadId }), now]);
      created++;
    }
    claimed.add(target);
    touched.add(target);
    const moving = group.filter((id) => entityOfRecord.get(id) !== target);
    if (moving.length === 0) continue;
    const before = Object.fromEntries(moving.map((id) => [id, entityOfRecord.get(id) ?? null]));
    await tx.query('UPDATE registry_records SET entity_id = $2 WHERE id = ANY($1::bigint[])', [moving, target]);
    for (const e of Object.values(before)) if (e !== null) touched.add(e);
    // Records coming from another entity: a merge by the matching, undoable like a reviewer's.
    if (Object.values(before).some((e) => e !== null)) {
      merged++;
      const { rows } = await tx.query<{ id: string }>(`INSERT INTO registry_history (entity_id, action, before, detail, actor, at)
        VALUES ($1, 'merged', $2, $3, 'system:registry', $4) RETURNING id`, [target, JSON.stringify(before), JSON.stringify({ records: moving.map(Number), loadId }), now]);
      await appendToLedger(tx, { actor: system, action: 'registry.entity.merged', object: { type: 'registry-entity', id: target },
        payload: { historyId: Number(rows[0]!.id), before, loadId } });
    }
  }
  await tx.query('UPDATE registry_loads SET touched = $2 WHERE id = $1', [loadId, [...touched]]);
  await countLoad(tx, loadId, { entities: created, merges: merged }, now);
  return false;
}

const goldenBatch = 1_000;

/** Stage golden: the touched entities' golden records, a batch at a time (the count so far is where the next batch starts). */
export async function goldenLoad(tx: Tx, loadId: number, _source: Source, now: Date): Promise<boolean> {
  const { rows } = await tx.query<{ touched: string[]; done: number }>(
    `SELECT touched, coalesce((counts ->> 'golden')::int, 0) AS done FROM registry_loads WHERE id = $1`, [loadId]);
  const batch = rows[0]!.touched.slice(rows[0]!.done, rows[0]!.done + goldenBatch).map(Number);
  if (batch.length === 0) return false;
  await refreshGolden(tx, batch, now);
  await countLoad(tx, loadId, { golden: batch.length }, now);
  return rows[0]!.done + batch.length < rows[0]!.touched.length;
}

/** Dates are compared as YYYYMMDD; a golden record shows them as YYYY-MM-DD, and sex as 男/女. */
function standardValue(schema: LibrarySchema, field: string, value: string): string {
  const type = schema.fields.find((f) => f.name === field)?.type;
  // Sex is compared as male/female; the record shows it as the registers write it.
  if (field === 'sex') return ({ male: '男', female: '女' } as Record<string, string>)[value] ?? value;
  return type === 'date' && /^\d{8}$/.test(value) ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}` : value;
}

interface MemberRow {
  id: string; entityId: string; library: Library; sourceId: string; providerName: string; trust: Record<string, number>; clean: CleanRecord; divisionCode: string;
}

/**
 * The golden records of these entities computed again from their records (survivorship per field by the
 * sources' trust, recency and frequency), their conflicts and subject stored, a 'golden' history entry where
 * a value changed, and the library's hub resource given the new rows (an entity left empty gets an empty row).
 */
export async function refreshGolden(tx: Tx, entityIds: number[], now: Date): Promise<void> {
  if (entityIds.length === 0) return;
  const { rows: entities } = await tx.query<{ id: string; library: Library; golden: GoldenFields; divisionCode: string }>(
    'SELECT id::text AS id, library, golden, division_code AS "divisionCode" FROM registry_entities WHERE id = ANY($1::bigint[]) ORDER BY id', [entityIds]);
  const { rows: members } = await tx.query<MemberRow>(
    `SELECT r.id::text AS id, r.entity_id::text AS "entityId", r.library, r.source_id::text AS "sourceId", d.name AS "providerName", s.trust, r.clean,
            r.division_code AS "divisionCode"
       FROM registry_records r JOIN registry_sources s ON s.id = r.source_id JOIN departments d ON d.id = s.provider_department_id WHERE r.entity_id = ANY($1::bigint[]) AND r.clean IS NOT NULL ORDER BY r.id`, [entityIds]);
  const byEntity = new Map<string, MemberRow[]>();
  for (const m of members) byEntity.set(m.entityId, [...(byEntity.get(m.entityId) ?? []), m]);
  const hubRows = new Map<Library, Record<string, unknown>[]>();
  for (const entity of entities) {
    const own = byEntity.get(entity.id) ?? [];
    const schema = schemaOf[entity.library];
    // Trust is set 1–10 per source and field; the engine weighs it 0–1.
    const trust = Object.fromEntries(own.map((m) => [m.sourceId, Object.fromEntries(Object.entries(m.trust).map(([f, t]) => [f, t / 10]))]));
    const result = goldenRecord(schema, own.map((m) => m.clean), { trust });
    const golden: GoldenFields = {};
    for (const [field, chosen] of Object.entries(result.fields)) {
      if (!chosen) continue;
      golden[field] = { value: standardValue(schema, field, chosen.value), original: chosen.original, recordId: Number(chosen.recordId),
        sourceId: Number(chosen.source), at: chosen.updatedAt ?? '', rule: chosen.rule, reason: chosen.reason };
    }
    const conflicts: FieldConflicts = Object.fromEntries(result.conflicts.map((c) => [c.field, c.values.map((v) => ({
      value: standardValue(schema, c.field, v.value), recordIds: v.recordIds.map(Number), sourceIds: v.sources.map(Number) }))]));
    const id = subjectField[entity.library];
    const subject = golden[id] && own.some((m) => m.clean.features[schema.fields.findIndex((f) => f.name === id)]?.valid) ? golden[id].value : null;
    const changed = libraryFields[entity.library].map((f) => f.code).filter((f) => entity.golden[f]?.value !== golden[f]?.value);
    // The entity sits where its most precisely placed record does (a township over the city of a register
    // without addresses), so the staff of that area find it.
    const division = own.map((m) => m.divisionCode).reduce((best, d) => (codePrefix(d).length > codePrefix(best).length ? d : best), own[0]?.divisionCode ?? entity.divisionCode);
    await tx.query('UPDATE registry_entities SET golden = $2, conflicts = $3, subject = $4, updated_at = $5, division_code = $6 WHERE id = $1',
      [entity.id, JSON.stringify(golden), JSON.stringify(conflicts), subject, now, division]);
    if (changed.length > 0 && Object.keys(entity.golden).length > 0)
      await tx.query(`INSERT INTO registry_history (entity_id, action, detail, actor, at) VALUES ($1, 'golden', $2, 'system:registry', $3)`,
        [entity.id, JSON.stringify({ fields: changed, before: Object.fromEntries(changed.map((f) => [f, entity.golden[f]?.value ?? null])) }), now]);
    const row: Record<string, unknown> = { entity_id: entity.id };
    for (const f of libraryFields[entity.library]) row[f.code] = golden[f.code]?.value ?? null;
    if (!subject) row[id] = null;
    const providers = new Map(own.map((m) => [Number(m.sourceId), m.providerName]));
    row.field_sources = JSON.stringify(Object.fromEntries(Object.entries(golden).map(([f, g]) => [f, providers.get(g.sourceId)!])));
    hubRows.set(entity.library, [...(hubRows.get(entity.library) ?? []), row]);
  }
  const ctx: Ctx = { tx, actor: systemActor('registry'), now };
  for (const [library, rows] of hubRows) {
    const setup = await findLibrary(tx, library);
    if (setup) await pushRows(ctx, { code: setup.resourceCode, rows });
  }
}
