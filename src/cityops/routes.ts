import Type from 'typebox';
import type { FastifyReply } from 'fastify';
import { Nullable, runCommand, type App } from '../kernel/http/index.ts';
import { ImportReportSchema, parseCsv, toCsv } from '../kernel/org/index.ts';
import { CatalogueSchema, ComponentKindSchema, ComponentPointsSchema, ComponentSchema, ComponentsSchema } from './api-schemas.ts';
import { addKind, catalogueSource, listCatalogue, updateKind } from './catalogue.ts';
import {
  componentsInBox, componentStates, createComponent, getComponent, listComponents, parseBbox, updateComponent, type ComponentFilter,
} from './components.ts';
import { presentComponent } from './present.ts';
import { componentFields, exportComponents, featureRows, importComponents, toFeatureCollection } from './transfer.ts';

const TwoDigits = Type.String({ pattern: '^[0-9]{2}$' });
// The code is a loose string here: the command checks it and says which part is wrong.
const ComponentCode = Type.String({ minLength: 1, maxLength: 40 });
const DepartmentId = Nullable(Type.Integer({ minimum: 1 }));
const DateText = Nullable(Type.String({ maxLength: 20 }));
const State = Type.Union(componentStates.map((s) => Type.Literal(s)));
const Filter = {
  classCode: Type.Optional(TwoDigits), kindCode: Type.Optional(TwoDigits), state: Type.Optional(State),
  gridCode: Type.Optional(Type.String({ maxLength: 40 })), departmentId: Type.Optional(Type.Integer({ minimum: 1 })),
  divisionCode: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })),
  bbox: Type.Optional(Type.String({ maxLength: 100, description: 'minLon,minLat,maxLon,maxLat' })),
};
const ComponentBody = {
  lon: Type.Number(), lat: Type.Number(), state: Type.Optional(State), competentDepartmentId: Type.Optional(DepartmentId),
  ownerDepartmentId: Type.Optional(DepartmentId), maintainerDepartmentId: Type.Optional(DepartmentId),
  address: Type.Optional(Type.String({ maxLength: 200 })), installedOn: Type.Optional(DateText), surveyedOn: Type.Optional(DateText),
};
// Rows are checked one by one by the import, so one bad row does not refuse the file.
const ImportBody = Type.Union([
  Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 100_000 }),
  Type.Object({ type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Unknown(), { maxItems: 100_000 }) }),
]);

function filterOf(query: Omit<ComponentFilter, 'bbox'> & { bbox?: string }): ComponentFilter {
  return { ...query, bbox: query.bbox === undefined ? undefined : parseBbox(query.bbox) };
}

function sendExport(reply: FastifyReply, format: 'csv' | 'geojson', rows: Awaited<ReturnType<typeof exportComponents>>) {
  if (format === 'geojson') {
    reply.header('content-disposition', 'attachment; filename="components.geojson"').type('application/geo+json; charset=utf-8');
    return JSON.stringify(toFeatureCollection(rows));
  }
  reply.header('content-disposition', 'attachment; filename="components.csv"').type('text/csv; charset=utf-8');
  return toCsv(rows, componentFields);
}

/** 一网统管, components (部件): the catalogue and the registry, under /api/v1/cityops. */
export async function cityopsRoutes(app: App) {
  // Imports also come as CSV or GeoJSON; the parsers are registered in this plugin only.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, async (_req: unknown, body: string | Buffer) => parseCsv(String(body)));
  app.addContentTypeParser('application/geo+json', { parseAs: 'string' }, (_req: unknown, body: string | Buffer, done) => {
    try {
      done(null, JSON.parse(String(body)));
    } catch (error) {
      done(Object.assign(error as Error, { statusCode: 400 }), undefined);
    }
  });

  app.get('/catalogue', {
    schema: { tags: ['cityops'], summary: '部件分类 The classes (大类) and kinds (小类) of components', response: { 200: CatalogueSchema } },
  }, async () => ({ source: catalogueSource, classes: await listCatalogue(app.db) }));

  app.post('/catalogue/kinds', {
    schema: { tags: ['cityops'], summary: 'Add a kind of the city\'s own (扩展小类) under a class',
      body: Type.Object({ classCode: TwoDigits, code: TwoDigits, nameZh: Type.String({ minLength: 1, maxLength: 40 }),
        nameEn: Type.String({ minLength: 1, maxLength: 80 }), departmentKind: Type.Optional(Nullable(Type.String({ maxLength: 40 }))) },
      { additionalProperties: false }),
      response: { 201: ComponentKindSchema } },
  }, async (req, reply) => {
    reply.code(201);
    return runCommand(req, addKind, req.body);
  });

  app.patch('/catalogue/kinds/:classCode/:code', {
    schema: { tags: ['cityops'], summary: 'Rename an extension kind, change its usual department, retire or restore a kind',
      params: Type.Object({ classCode: TwoDigits, code: TwoDigits }),
      body: Type.Object({ nameZh: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })), nameEn: Type.Optional(Type.String({ minLength: 1, maxLength: 80 })),
        departmentKind: Type.Optional(Nullable(Type.String({ maxLength: 40 }))), active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 200: ComponentKindSchema } },
  }, (req) => runCommand(req, updateKind, { ...req.body, ...req.params }));

  app.get('/components', {
    schema: { tags: ['cityops'], summary: 'Components within the jurisdiction, filtered, in code order',
      querystring: Type.Object({ ...Filter, page: Type.Integer({ minimum: 1, default: 1 }), pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }) }),
      response: { 200: ComponentsSchema } },
  }, async (req) => {
    const page = await listComponents(app.db, req.actor, { ...filterOf(req.query), page: req.query.page, pageSize: req.query.pageSize });
    return { total: page.total, items: page.items.map((c) => presentComponent(c, req.actor)) };
  });

  app.get('/components/points', {
    schema: { tags: ['cityops'], summary: 'Components in a box as map points (at most `limit`)',
      querystring: Type.Object({ ...Filter, bbox: Type.String({ maxLength: 100, description: 'minLon,minLat,maxLon,maxLat' }),
        limit: Type.Integer({ minimum: 1, maximum: 20_000, default: 5_000 }) }),
      response: { 200: ComponentPointsSchema } },
  }, async (req) => {
    const { truncated, points } = await componentsInBox(app.db, req.actor, { ...filterOf(req.query), bbox: parseBbox(req.query.bbox), limit: req.query.limit });
    return { truncated, items: points };
  });

  app.get('/components/export', {
    schema: { tags: ['cityops'], summary: 'Components within the jurisdiction matching the filter, as CSV or GeoJSON',
      querystring: Type.Object({ ...Filter, format: Type.Union([Type.Literal('csv'), Type.Literal('geojson')], { default: 'csv' }) }) },
  }, async (req, reply) => sendExport(reply, req.query.format, await exportComponents(app.db, req.actor, filterOf(req.query))));

  app.post('/components/import', {
    bodyLimit: 20 * 1024 * 1024,
    schema: { tags: ['cityops'], summary: 'Import components: text/csv (header line), an application/json array of rows or an application/geo+json '
      + 'FeatureCollection of points; good rows are kept, each bad one reported',
    consumes: ['text/csv', 'application/json', 'application/geo+json'], body: ImportBody, response: { 200: ImportReportSchema } },
  }, (req) => runCommand(req, importComponents, Array.isArray(req.body) ? req.body : featureRows(req.body)));

  app.get('/components/:code', {
    schema: { tags: ['cityops'], params: Type.Object({ code: ComponentCode }), response: { 200: ComponentSchema } },
  }, async (req) => presentComponent(await getComponent(app.db, req.actor, req.params.code), req.actor));

  app.post('/components', {
    schema: { tags: ['cityops'], summary: '部件登记 Register a component under its 16-digit code',
      body: Type.Object({ code: ComponentCode, ...ComponentBody }, { additionalProperties: false }), response: { 201: ComponentSchema } },
  }, async (req, reply) => {
    reply.code(201);
    return runCommand(req, createComponent, req.body, presentComponent);
  });

  app.patch('/components/:code', {
    schema: { tags: ['cityops'], summary: 'Change a component\'s state, place, departments, address or dates',
      params: Type.Object({ code: ComponentCode }),
      body: Type.Partial(Type.Object(ComponentBody), { additionalProperties: false }), response: { 200: ComponentSchema } },
  }, (req) => runCommand(req, updateComponent, { ...req.body, code: req.params.code }, presentComponent));
}
