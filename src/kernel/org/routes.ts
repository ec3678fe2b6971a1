import Type from 'typebox';
import type { FastifyReply } from 'fastify';
import type { App } from '../http/index.ts';
import { runCommand } from '../http/index.ts';
import { assertCan } from '../auth/policy.ts';
import { createDepartment, getDepartment, listDepartments, updateDepartment } from './departments.ts';
import { createDivision, divisionTree, getDivision, listDivisionChildren, renameDivision } from './divisions.ts';
import { boundaryLevels, listBoundaries } from './boundaries.ts';
import { checkAddress, searchPlaces } from './places.ts';
import { createGrid, gridAt, gridFeature, listGrids } from './grids.ts';
import {
  DepartmentSchema, DepartmentSummarySchema, DepartmentsSchema, DivisionDetailSchema, DivisionSchema, DivisionsSchema, DivisionTreeSchema,
  ImportReportSchema, PlacesSchema, AddressCheckSchema,
} from './api-schemas.ts';
import { presentDepartment, presentDivision, presentDivisionNode } from './present.ts';
import {
  departmentFields, divisionFields, exportDepartments, exportDivisions, importDepartments, importDivisions, parseCsv, toCsv, type Row,
} from './transfer.ts';

// Codes are loose strings here: the commands check them and say precisely what is wrong.
const DivisionCode = Type.String({ minLength: 1, maxLength: 20 });
const Code = Type.String({ minLength: 1, maxLength: 40 });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const ShortName = Type.String({ maxLength: 40 });
const Kind = Type.String({ maxLength: 40 });
const DepartmentId = Type.Object({ id: Type.Integer({ minimum: 1 }) });
const DivisionParams = Type.Object({ code: DivisionCode });
const ExportQuery = Type.Object({ format: Type.Union([Type.Literal('csv'), Type.Literal('json')], { default: 'csv' }) });
// Rows are checked one by one by the import, so one bad row does not refuse the file.
const ImportBody = Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 100_000 });
const importBodyLimit = 5 * 1024 * 1024;
const importTypes = ['text/csv', 'application/json'];
const importSummary = 'Rows as text/csv (header line) or an application/json array; good rows are kept, each bad one reported';

function sendRows(reply: FastifyReply, format: 'csv' | 'json', name: string, rows: Row[], fields: readonly string[]) {
  if (format === 'json') return rows;
  reply.header('content-disposition', `attachment; filename="${name}.csv"`).type('text/csv; charset=utf-8');
  return toCsv(rows, fields);
}

/** 组织机构: divisions, departments and grids, under /api/v1/org. */
export async function orgRoutes(app: App) {
  // Imports also come as CSV; the parser is registered in this plugin only.
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, async (_req: unknown, body: string | Buffer) => parseCsv(String(body)));

  app.get('/divisions', {
    schema: { tags: ['org'], summary: '下级区划 Children of a division (none given: the top), as far as the caller sees',
      querystring: Type.Object({ parent: Type.Optional(DivisionCode) }), response: { 200: DivisionsSchema } },
  }, async (req) => ({
    items: (await listDivisionChildren(app.db, req.actor, req.query.parent ?? null)).map((d) => presentDivision(d, req.actor)),
  }));

  app.get('/divisions/tree', {
    schema: { tags: ['org'], summary: 'The organisation tree with department and staff counts; depth counts from the jurisdiction',
      querystring: Type.Object({ root: Type.Optional(DivisionCode), depth: Type.Integer({ minimum: 0, maximum: 4, default: 2 }) }),
      response: { 200: DivisionTreeSchema } },
  }, async (req) => ({
    items: (await divisionTree(app.db, req.actor, req.query.root ?? null, req.query.depth)).map((n) => presentDivisionNode(n, req.actor)),
  }));

  app.get('/divisions/export', {
    schema: { tags: ['org'], summary: 'Divisions within the jurisdiction as CSV or JSON', querystring: ExportQuery },
  }, async (req, reply) => sendRows(reply, req.query.format, 'divisions', await exportDivisions(app.db, req.actor), divisionFields));

  app.post('/divisions/import', {
    bodyLimit: importBodyLimit,
    schema: { tags: ['org'], summary: `Import divisions. ${importSummary}`, consumes: importTypes, body: ImportBody,
      response: { 200: ImportReportSchema } },
  }, (req) => runCommand(req, importDivisions, req.body));

  app.get('/divisions/:code', { schema: { tags: ['org'], params: DivisionParams, response: { 200: DivisionDetailSchema } } },
    async (req) => presentDivision(await getDivision(app.db, req.actor, req.params.code), req.actor));

  app.post('/divisions', {
    schema: { tags: ['org'], summary: 'Add a division under its parent',
      body: Type.Object({ code: DivisionCode, name: Name, parentCode: Type.Optional(DivisionCode) }, { additionalProperties: false }),
      response: { 201: DivisionSchema } },
  }, async (req, reply) => {
    reply.code(201);
    return runCommand(req, createDivision, req.body, presentDivision);
  });

  app.patch('/divisions/:code', {
    schema: { tags: ['org'], summary: 'Rename a division', params: DivisionParams,
      body: Type.Object({ name: Name }, { additionalProperties: false }), response: { 200: DivisionSchema } },
  }, (req) => runCommand(req, renameDivision, { code: req.params.code, name: req.body.name }, presentDivision));

  app.get('/departments', {
    schema: { tags: ['org'], summary: 'Departments within the jurisdiction, with staff counts',
      querystring: Type.Object({
        divisionCode: Type.Optional(DivisionCode), q: Type.Optional(Type.String({ maxLength: 60 })),
        includeDescendants: Type.Boolean({ default: false }),
        limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }), offset: Type.Integer({ minimum: 0, default: 0 }),
      }),
      response: { 200: DepartmentsSchema } },
  }, async (req) => {
    const page = await listDepartments(app.db, req.actor, req.query);
    return { total: page.total, items: page.items.map((d) => presentDepartment(d, req.actor)) };
  });

  app.get('/departments/export', {
    schema: { tags: ['org'], summary: 'Departments within the jurisdiction as CSV or JSON', querystring: ExportQuery },
  }, async (req, reply) => sendRows(reply, req.query.format, 'departments', await exportDepartments(app.db, req.actor), departmentFields));

  app.post('/departments/import', {
    bodyLimit: importBodyLimit,
    schema: { tags: ['org'], summary: `Import departments. ${importSummary}`, consumes: importTypes, body: ImportBody,
      response: { 200: ImportReportSchema } },
  }, (req) => runCommand(req, importDepartments, req.body));

  app.get('/departments/:id', { schema: { tags: ['org'], params: DepartmentId, response: { 200: DepartmentSummarySchema } } },
    async (req) => presentDepartment(await getDepartment(app.db, req.actor, req.params.id), req.actor));

  app.post('/departments', {
    schema: { tags: ['org'], summary: 'Add a department to a division',
      body: Type.Object({ code: Code, name: Name, shortName: Type.Optional(ShortName), kind: Type.Optional(Kind),
        divisionCode: DivisionCode, parentId: Type.Optional(Type.Integer({ minimum: 1 })) }, { additionalProperties: false }),
      response: { 201: DepartmentSchema } },
  }, async (req, reply) => {
    reply.code(201);
    return runCommand(req, createDepartment, req.body, presentDepartment);
  });

  app.patch('/departments/:id', {
    schema: { tags: ['org'], summary: 'Change a department\'s names, kind or parent', params: DepartmentId,
      body: Type.Object({ name: Type.Optional(Name), shortName: Type.Optional(Type.Union([ShortName, Type.Null()])),
        kind: Type.Optional(Kind), parentId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])) },
      { additionalProperties: false }),
      response: { 200: DepartmentSchema } },
  }, (req) => runCommand(req, updateDepartment, { id: req.params.id, ...req.body }, presentDepartment));

  app.get('/grids', {
    schema: { tags: ['org'], summary: '网格 Grids under a division, as a GeoJSON FeatureCollection',
      querystring: Type.Object({ divisionCode: DivisionCode }) },
  }, async (req, reply) => {
    reply.type('application/geo+json; charset=utf-8');
    return listGrids(app.db, req.actor, req.query);
  });

  app.get('/boundaries', {
    schema: { tags: ['org'], summary: '边界 Shapes of counties, townships or grids for maps, as GeoJSON (public: code, name, level)',
      querystring: Type.Object({ level: Type.Union(boundaryLevels.map((l) => Type.Literal(l))),
        within: Type.Optional(Type.String({ pattern: '^[0-9]{12}$' })) }) },
  }, async (req, reply) => {
    reply.type('application/geo+json; charset=utf-8').header('cache-control', 'public, max-age=300');
    return listBoundaries(app.db, req.query);
  });

  app.get('/places', {
    schema: { tags: ['org'], summary: '地名 Places (counties, townships, communities, grids) whose names match a text or that an address names',
      querystring: Type.Object({ q: Type.String({ minLength: 1, maxLength: 200 }) }), response: { 200: PlacesSchema } },
  }, async (req) => ({ items: await searchPlaces(app.db, req.query.q) }));

  app.get('/places/check', {
    schema: { tags: ['org'], summary: 'Whether a typed address names the township (or county) a point lies in',
      querystring: Type.Object({ address: Type.String({ minLength: 1, maxLength: 200 }), lon: Type.Number({ minimum: -180, maximum: 180 }),
        lat: Type.Number({ minimum: -90, maximum: 90 }) }), response: { 200: AddressCheckSchema } },
  }, async (req) => checkAddress(app.db, req.query.address, req.query.lon, req.query.lat));

  app.get('/grids/at', {
    schema: { tags: ['org'], summary: 'The grid containing a point (WGS 84), if it is within the jurisdiction',
      querystring: Type.Object({ lon: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) }) },
  }, async (req) => {
    assertCan(req.actor, 'org.read');
    const grid = await gridAt(app.db, req.query.lon, req.query.lat);
    return { grid: grid && req.actor.jurisdiction.covers(grid.divisionCode) ? gridFeature(grid) : null };
  });

  app.post('/grids', {
    schema: { tags: ['org'], summary: 'Draw a grid under a township or village/community',
      body: Type.Object({ code: Code, name: Name, divisionCode: DivisionCode,
        geometry: Type.Object({ type: Type.String(), coordinates: Type.Array(Type.Unknown()) }) }, { additionalProperties: false }) },
  }, async (req, reply) => {
    reply.code(201);
    return runCommand(req, createGrid, req.body, gridFeature);
  });
}
