import Type from 'typebox';
import { runCommand, type App } from '../kernel/http/index.ts';
import {
  AccessRequestSchema, EntitiesSchema, EntitySchema, LoadSchema, LoadsSchema, MyRecordSchema, QualitySchema, ReviewPairSchema, ReviewQueueSchema,
  SourceOptionsSchema, SourceSchema, SourcesSchema,
} from './api-schemas.ts';
import { fileCorrection, myRecord } from './citizen.ts';
import { mergeEntities, readGoldenRecord, searchEntities, splitRecord, undoChange } from './entities.ts';
import { libraries } from './libraries.ts';
import { listLoads, readLoad, recentLoads, runLoad, startLoad } from './loads.ts';
import { qualityDashboard } from './quality.ts';
import { decidePair, readPair, reviewQueue } from './review.ts';
import { addSource, listSources, requestSourceAccess, sourceOptions } from './sources.ts';

const oneOf = <const V extends readonly string[]>(values: V) => Type.Union(values.map((v) => Type.Literal(v)));
const Id = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const Library = oneOf(libraries);
const ResourceCode = Type.String({ pattern: '^[A-Z][0-9]{2}-[0-9]{4}-[0-9]{4}-[0-9]{4}$' });
const FieldCode = Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$' });
const Reason = Type.String({ minLength: 1, maxLength: 500 });
const tags = ['registry'];

/** 基础库 API under /api/v1/registry: sources and loads, review, golden records, quality, and the citizen's own record. */
export async function registryRoutes(app: App) {
  app.get('/sources', {
    schema: { tags, summary: '数据源 Sources of the libraries in my jurisdiction', querystring: Type.Object({ library: Type.Optional(Library) }, { additionalProperties: false }),
      response: { 200: SourcesSchema } },
  }, async (req) => ({ items: await listSources(app.db, req.actor, req.query.library) }));

  app.get('/sources/options', {
    schema: { tags, summary: 'What a source may be: published table resources, one resource\'s fields, the libraries\' fields',
      querystring: Type.Object({ resource: Type.Optional(ResourceCode) }, { additionalProperties: false }), response: { 200: SourceOptionsSchema } },
  }, async (req) => sourceOptions(app.db, req.actor, req.query.resource));

  app.post('/sources', {
    schema: { tags, summary: '添加数据源 Add a hub resource as a source: field mapping (every mandatory field) and trust per field',
      body: Type.Object({
        library: Library, resource: ResourceCode,
        mapping: Type.Record(FieldCode, FieldCode, { minProperties: 1, maxProperties: 20 }),
        trust: Type.Optional(Type.Record(FieldCode, Type.Integer({ minimum: 1, maximum: 10 }), { maxProperties: 20 })),
      }, { additionalProperties: false }),
      response: { 201: SourceSchema } },
  }, async (req, reply) => {
    reply.code(201);
    return runCommand(req, addSource, req.body);
  });

  app.post('/sources/access', {
    schema: { tags, summary: '共享申请 Ask the hub for a resource for the library\'s system',
      body: Type.Object({ library: Library, resource: ResourceCode, purpose: Reason }, { additionalProperties: false }),
      response: { 201: AccessRequestSchema } },
  }, async (req, reply) => {
    reply.code(201);
    return runCommand(req, requestSourceAccess, req.body, (r) => ({ id: r.id, state: r.state }));
  });

  app.get('/sources/:id/loads', { schema: { tags, summary: 'A source\'s loads, newest first', params: Id, response: { 200: LoadsSchema } } },
    async (req) => ({ items: await listLoads(app.db, req.actor, req.params.id) }));

  app.post('/sources/:id/loads', {
    schema: { tags, summary: '启动加载 Start an incremental load (new and changed rows); it runs on and reports its progress', params: Id,
      response: { 202: LoadSchema } },
  }, async (req, reply) => {
    const load = await runCommand(req, startLoad, { sourceId: req.params.id });
    // The load runs after the answer; a crash is picked up by the resume sweep from the stage it reached.
    runLoad(app.db, load.id).catch((error: unknown) => req.log.error({ err: error, loadId: load.id }, 'registry load failed'));
    reply.code(202);
    return load;
  });

  app.get('/loads', { schema: { tags, summary: 'The latest loads in my jurisdiction', response: { 200: LoadsSchema } } },
    async (req) => ({ items: await recentLoads(app.db, req.actor) }));

  app.get('/loads/:id', { schema: { tags, summary: 'One load and its progress', params: Id, response: { 200: LoadSchema } } },
    async (req) => readLoad(app.db, req.actor, req.params.id));

  app.get('/review', {
    schema: { tags, summary: '复核队列 Pairs in the uncertain band, both records in my jurisdiction',
      querystring: Type.Object({ library: Library, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }, { additionalProperties: false }),
      response: { 200: ReviewQueueSchema } },
  }, async (req) => reviewQueue(app.db, req.actor, req.query));

  app.get('/pairs/:id', { schema: { tags, summary: 'A pair, its two records and the weight per field', params: Id, response: { 200: ReviewPairSchema } } },
    async (req) => readPair(app.db, req.actor, req.params.id));

  app.post('/pairs/:id/decision', {
    schema: { tags, summary: '复核决定 Same entity or not (on the ledger, a label for the next training)', params: Id,
      body: Type.Object({ decision: oneOf(['match', 'non-match'] as const), note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
      response: { 200: ReviewPairSchema } },
  }, (req) => runCommand(req, decidePair, { pairId: req.params.id, ...req.body }));

  app.get('/entities', {
    schema: { tags, summary: 'Golden records by name or identifier, in my jurisdiction',
      querystring: Type.Object({ library: Library, q: Type.Optional(Type.String({ maxLength: 50 })) }, { additionalProperties: false }),
      response: { 200: EntitiesSchema } },
  }, async (req) => ({ items: await searchEntities(app.db, req.actor, req.query) }));

  app.get('/entities/:id', {
    schema: { tags, summary: '标准记录 One golden record with provenance, history and conflicts; the read is evidence (who used my data)', params: Id,
      querystring: Type.Object({ purpose: Reason }, { additionalProperties: false }), response: { 200: EntitySchema } },
  }, (req) => runCommand(req, readGoldenRecord, { id: req.params.id, purpose: req.query.purpose }));

  app.post('/entities/:id/merge', {
    schema: { tags, summary: '合并 Merge another entity into this one (undoable)', params: Id,
      body: Type.Object({ from: Type.Integer({ minimum: 1 }), reason: Reason }, { additionalProperties: false }), response: { 200: EntitySchema } },
  }, (req) => runCommand(req, mergeEntities, { into: req.params.id, ...req.body }));

  app.post('/records/:id/split', {
    schema: { tags, summary: '拆分 Split a record out of its entity (undoable)', params: Id,
      body: Type.Object({ reason: Reason }, { additionalProperties: false }), response: { 200: EntitySchema } },
  }, (req) => runCommand(req, splitRecord, { recordId: req.params.id, ...req.body }));

  app.post('/history/:id/undo', {
    schema: { tags, summary: '撤销 Undo a merge or split', params: Id, response: { 200: EntitySchema } },
  }, (req) => runCommand(req, undoChange, { historyId: req.params.id }));

  app.get('/quality', {
    schema: { tags, summary: '质量看板 Per source: duplicates, conflicts by field, completeness, check-digit failures, trend per load',
      querystring: Type.Object({ library: Library }, { additionalProperties: false }), response: { 200: QualitySchema } },
  }, async (req) => ({ items: await qualityDashboard(app.db, req.actor, req.query.library) }));

  app.get('/my/record', { schema: { tags, summary: '我的档案 My own golden record: each field, its source department and date', response: { 200: MyRecordSchema } } },
    async (req) => myRecord(app.db, req.actor));

  app.post('/my/corrections', {
    schema: { tags, summary: '纠错 A correction of my record, sent to the owning department with a deadline',
      body: Type.Object({ field: FieldCode, description: Type.String({ minLength: 2, maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 201: MyRecordSchema } },
  }, async (req, reply) => {
    reply.code(201);
    return runCommand(req, fileCorrection, req.body);
  });
}
