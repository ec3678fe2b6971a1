import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { importTickets, parseImportDate } from '../../src/hotline/index.ts';
import { ledgerCount } from '../helpers/factories.ts';
import { hotlineAppPerFile, memberOf, run } from './factories.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = fs.readFileSync(path.join(here, 'fixtures/nyc311-guang-an.csv'), 'utf8');
// The real NYC 311 sample (2,000 rows, all in New York), as the classifier's tests keep it.
const nycSample = path.join(here, 'classifier/fixtures/311_subset.micro.csv');

const t = hotlineAppPerFile(['operator', 'handler']);
const { cookies } = t;

const importCsv = (query: string, payload: string | object, user = 'operator') =>
  t.app.inject({ method: 'POST', url: `/api/v1/hotline/import?${query}`, payload: payload as string,
    headers: { cookie: cookies[user]!, 'content-type': typeof payload === 'string' ? 'text/csv' : 'application/json' } });

test('NYC dates MM/DD/YYYY hh:mm:ss AM are read in New York time, daylight saving included; impossible dates are refused', () => {
  // New York local time: EST (UTC−5) in March before daylight saving, EDT (UTC−4) in summer.
  assert.equal(parseImportDate('03/01/2011 02:27:57 PM', 'nyc311')?.toISOString(), '2011-03-01T19:27:57.000Z');
  assert.equal(parseImportDate('03/01/2011 12:05:00 AM', 'nyc311')?.toISOString(), '2011-03-01T05:05:00.000Z');
  assert.equal(parseImportDate('07/04/2022 11:30:00 PM', 'nyc311')?.toISOString(), '2022-07-05T03:30:00.000Z');
  // Around the changes of 2022: clocks went forward at 2 AM on 13 March and back at 2 AM on 6 November.
  assert.equal(parseImportDate('03/13/2022 01:59:59 AM', 'nyc311')?.toISOString(), '2022-03-13T06:59:59.000Z');
  assert.equal(parseImportDate('03/13/2022 03:00:00 AM', 'nyc311')?.toISOString(), '2022-03-13T07:00:00.000Z');
  assert.equal(parseImportDate('11/06/2022 12:59:59 AM', 'nyc311')?.toISOString(), '2022-11-06T04:59:59.000Z');
  assert.equal(parseImportDate('11/06/2022 02:00:00 AM', 'nyc311')?.toISOString(), '2022-11-06T07:00:00.000Z');
  assert.equal(parseImportDate('11/06/2022 01:30:00 AM', 'nyc311')?.toISOString(), '2022-11-06T06:30:00.000Z', 'twice that night: standard time');
  assert.equal(parseImportDate('03/13/2022 02:30:00 AM', 'nyc311')?.toISOString(), '2022-03-13T07:30:00.000Z', 'never that night: 03:30');
  assert.equal(parseImportDate('02/30/2011 10:00:00 AM', 'nyc311'), null);
  assert.equal(parseImportDate('2011-03-01 14:27', 'nyc311'), null);
  assert.equal(parseImportDate('2026-11-02T09:15:00+08:00', 'yiwang')?.toISOString(), '2026-11-02T01:15:00.000Z');
  assert.equal(parseImportDate('2026-11-02', 'yiwang'), null, 'a date without time and zone is ambiguous');
});

test('an NYC-layout file: good rows kept with their original ids, each bad row reported with column and reason, one ledger entry', async () => {
  assert.equal((await importCsv('layout=nyc311', fixture, 'handler')).statusCode, 403);
  assert.equal((await importCsv('layout=lagos', fixture)).json().field, 'layout');
  const mappings = { categories: { 'Dirty Conditions': 'CG-SRHW-LJQY', 'Noise - Residential': 'HB-ZYRM', 'Street Condition': 'NOPE' },
    departments: { NYPD: 'CG-511602', DSNY: t.city.gaUrban } };
  const res = await importCsv('layout=nyc311', { csv: fixture, ...mappings });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json(), {
    imported: 2,
    rejected: [
      { row: 4, field: 'Latitude', reason: 'location-missing' },
      { row: 5, field: 'Latitude', reason: 'outside-city' },
      { row: 6, field: 'Created Date', reason: 'bad-date' },
      { row: 7, field: 'Complaint Type', reason: 'no-suggestion' },
      { row: 8, field: 'Complaint Type', reason: 'unknown-category' },
      { row: 9, field: 'Latitude', reason: 'address-without-division' },
      { row: 10, field: 'Unique Key', reason: 'duplicate' },
    ],
  });
  const { rows } = await t.db.query(
    `SELECT original_id, imported_from, state, channel, department_id::int, reply, anonymous, received_at, closed_at, lon, grid_code
       FROM hotline_tickets WHERE imported_from IS NOT NULL ORDER BY original_id`);
  assert.deepEqual(rows.map((r) => [r.original_id, r.imported_from, r.state, r.channel, r.department_id, r.anonymous, r.grid_code]), [
    ['90000001', 'nyc311', 'closed', 'web', t.city.gaUrban, true, 'G-NH-1'],
    ['90000002', 'nyc311', 'dispatched', 'phone', t.city.gaUrban, true, 'G-NH-1'],
  ]);
  assert.equal(rows[0].reply, 'The Department of Sanitation cleaned the location.');
  // New York wall-clock time, standard time (UTC−5) after 1 November 2026.
  assert.equal(rows[0].received_at.toISOString(), '2026-11-02T14:15:00.000Z');
  assert.equal(rows[0].closed_at.toISOString(), '2026-11-03T21:40:00.000Z');
  assert.equal(await ledgerCount(t.db, 'hotline.tickets.imported'), 1);
  assert.equal(await ledgerCount(t.db, 'hotline.ticket.received'), 0, 'no entry per row');

  // The address-only row comes in once the import names its division; rows imported before are reported, not doubled.
  const again = (await importCsv('layout=nyc311&divisionCode=511602001000', { csv: fixture, ...mappings })).json();
  assert.equal(again.imported, 1);
  assert.deepEqual(again.rejected.filter((r: { reason: string }) => r.reason === 'imported-before').map((r: { row: number }) => r.row), [2, 3]);
  assert.equal((await t.db.query('SELECT count(*)::int AS n FROM hotline_tickets WHERE imported_from IS NOT NULL')).rows[0].n, 3);
});

test('the real NYC 311 sample: every row is rejected with a reason; rows with a point are outside the city', async () => {
  const csv = fs.readFileSync(nycSample, 'utf8');
  const res = await importCsv('layout=nyc311', csv);
  assert.equal(res.statusCode, 200);
  const report = res.json();
  assert.equal(report.imported, 0);
  assert.equal(report.rejected.length, 2000);
  const records: Record<string, string>[] = parse(csv, { columns: true, bom: true, trim: true, skip_empty_lines: true });
  const byRow = new Map(report.rejected.map((r: { row: number; field: string; reason: string }) => [r.row, `${r.field}: ${r.reason}`]));
  const withPoint = records.flatMap((r, i) => (r.Latitude ? [{ key: r['Unique Key'], reason: byRow.get(i + 2) }] : []));
  assert.equal(withPoint.length, 1402);
  // One of them was closed on 01/01/1900, before it was created: that check comes first.
  assert.deepEqual(withPoint.filter((r) => r.reason !== 'Latitude: outside-city'), [{ key: '19944912', reason: 'Closed Date: before-received' }]);
  const withoutPoint = records.flatMap((r, i) => (r.Latitude ? [] : [byRow.get(i + 2)]));
  assert.ok(withoutPoint.every((reason) => reason === 'Latitude: location-missing' || reason === 'Latitude: address-without-division'));
});

test('a malformed file is refused as a whole, naming the body', async () => {
  const res = await importCsv('layout=yiwang', 'originalId,receivedAt\n"unterminated,2026-11-02T09:15:00+08:00\n');
  assert.deepEqual([res.statusCode, res.json().field, res.json().code], [400, 'body', 'hotline.import.malformed-csv']);
});

test('rows outside the importer\'s jurisdiction are rejected: a county centre imports only its county', async () => {
  const countyCentre = memberOf(t.city.centreDept, ['officer'], '511621000000', 'yc-centre');
  const report = await run(t.db, countyCentre, importTickets, { layout: 'nyc311', csv: fixture,
    categories: { 'Dirty Conditions': 'CG-SRHW-LJQY', 'Noise - Residential': 'HB-ZYRM' } });
  assert.equal(report.imported, 0);
  // Every row with a point (all in 广安区) that got as far as its place.
  assert.deepEqual(report.rejected.filter((r) => r.reason === 'outside-jurisdiction').map((r) => r.row), [2, 3, 7, 8]);
});
