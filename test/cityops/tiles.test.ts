import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { makeStaff } from '../helpers/factories.ts';
import { casesAppPerFile } from './case-factories.ts';
import { inGa, inYc } from './factories.ts';

const t = casesAppPerFile();

/** The XYZ tile holding a point at zoom z. */
function tileOf(lon: number, lat: number, z: number) {
  const n = 2 ** z;
  const rad = (lat * Math.PI) / 180;
  return { z, x: Math.floor(((lon + 180) / 360) * n), y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n) };
}

const gaComponent = '5116020117000001';
const ycComponent = '5116210117000001';
const day = (iso: string) => new Date(iso);

/** One layer of a tile, decoded: each feature's properties and place. */
async function features(layer: string, at: { lon: number; lat: number }, user: string, query = '', z = 15) {
  const { x, y } = tileOf(at.lon, at.lat, z);
  const res = await t.call('GET', `/tiles/${layer}/${z}/${x}/${y}.mvt${query}`, user);
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], 'application/vnd.mapbox-vector-tile');
  const decoded = new VectorTile(new PbfReader(res.rawPayload)).layers[layer];
  return Array.from({ length: decoded?.length ?? 0 }, (_, i) => {
    const feature = decoded!.feature(i);
    const point = feature.toGeoJSON(x, y, z).geometry;
    assert.equal(point.type, 'Point');
    const [lon, lat] = point.type === 'Point' ? point.coordinates : [];
    return { props: feature.properties, lon: lon!, lat: lat! };
  });
}

test('setup: components, cases, tickets and devices in 广安区 and 岳池县', async () => {
  for (const [code, at] of [[gaComponent, inGa], [ycComponent, inYc]] as const) {
    const res = await t.call('POST', '/components', 'admin', { code, ...at, address: '滨河路1号' });
    assert.equal(res.statusCode, 201, res.body);
  }
  const insertCase = `INSERT INTO cityops_cases (code, source, kind_code, urgency, state, description, address, lon, lat, division_code, reporter,
      step_started_at, created_at, updated_at) VALUES ($1, $2, 'C0117', 'normal', $3, '路灯不亮', '滨河路', $4, $5, $6, '张三', $7, $7, $7)`;
  await t.db.query(insertCase, ['GA-1', 'patrol', 'dispatching', inGa.lon + 0.0003, inGa.lat, '511602001000', day('2026-11-20T02:00:00Z')]);
  await t.db.query(insertCase, ['GA-2', 'hotline', 'closed', inGa.lon + 0.0006, inGa.lat, '511602001000', day('2026-10-01T02:00:00Z')]);
  await t.db.query(insertCase, ['YC-1', 'patrol', 'dispatching', inYc.lon + 0.001, inYc.lat, '511621001000', day('2026-11-20T02:00:00Z')]);
  const category = (await t.db.query<{ id: string }>(
    `INSERT INTO hotline_categories (code, name, ancestry) VALUES ('MAP01', '噪声扰民', '{}') RETURNING id`)).rows[0]!.id;
  const insertTicket = `INSERT INTO hotline_tickets (number, channel, kind, category_id, urgency, description, lon, lat, address, division_code,
      caller_name, caller_phone, intake_actor, state, received_at, reply_due, resolve_due, updated_at)
    VALUES ($1, 'phone', $2, $3, 'normal', '楼下夜间施工', $4, $5, '幸福小区3栋', $6, '李四', '13800000000', 'staff:1', 'received', $7, $7, $7, $7)`;
  await t.db.query(insertTicket, ['T-GA-1', 'complaint', category, inGa.lon - 0.0003, inGa.lat, '511602001000', day('2026-11-25T02:00:00Z')]);
  await t.db.query(insertTicket, ['T-GA-2', 'consultation', category, inGa.lon - 0.0006, inGa.lat, '511602001000', day('2026-09-01T02:00:00Z')]);
  await t.db.query(insertTicket, ['T-YC-1', 'complaint', category, inYc.lon - 0.001, inYc.lat, '511621001000', day('2026-11-25T02:00:00Z')]);
  await t.db.query(`INSERT INTO cityops_sensor_devices (code, type_code, name, division_code, lon, lat, secret_hash, signing_key)
    VALUES ('WL-GA-1', 'water_level', '滨河路积水监测', '511602001000', $1, $2, 'x', '\\x00'), ('WL-YC-1', 'water_level', '九龙积水监测', '511621001000', $3, $4, 'x', '\\x00')`,
  [inGa.lon, inGa.lat + 0.0003, inYc.lon, inYc.lat + 0.001]);
  await makeStaff(t.db, { username: 'data_man', roles: ['data_officer'], departmentId: t.departments.gaUrban });
  t.cookies.data_man = await t.login('data_man');
});

test('a component is in its tile with its properties, at its place, and not in a tile elsewhere', async () => {
  const here = await features('components', inGa, 'admin');
  const mine = here.find((f) => f.props.code === gaComponent);
  assert.ok(mine);
  assert.equal(mine.props.name, '路灯');
  assert.equal(mine.props.state, 'intact');
  assert.equal(mine.props.address, '滨河路1号');
  assert.equal(mine.props.count, 1);
  assert.ok(Math.abs(mine.lon - inGa.lon) < 1e-4 && Math.abs(mine.lat - inGa.lat) < 1e-4);
  assert.ok(!here.some((f) => f.props.code === ycComponent));
  const filtered = await features('components', inGa, 'admin', '?state=damaged');
  assert.equal(filtered.length, 0);
  assert.equal((await features('components', inGa, 'admin', '?kind=0117')).length, 1);
  assert.equal((await features('components', inGa, 'admin', '?kind=02')).length, 0);
});

test('zoomed out, a layer is counts per cell, with no properties', async () => {
  const cells = await features('components', inGa, 'admin', '', 8);
  assert.equal(cells.reduce((n, f) => n + Number(f.props.count), 0), 2);
  assert.ok(cells.every((f) => f.props.code === undefined));
});

test('cases: scoped to the jurisdiction, filtered by state, source and the time window', async () => {
  const all = await features('cases', inGa, 'admin');
  assert.deepEqual(all.map((f) => f.props.code).sort(), ['GA-1', 'GA-2']);
  const ga1 = all.find((f) => f.props.code === 'GA-1')!;
  assert.equal(ga1.props.name, '路灯');
  assert.equal(ga1.props.reportedAt, '2026-11-20T02:00:00Z');
  assert.equal(ga1.props.reporter, undefined);
  assert.deepEqual((await features('cases', inGa, 'admin', '?state=closed')).map((f) => f.props.code), ['GA-2']);
  assert.deepEqual((await features('cases', inGa, 'admin', '?source=hotline')).map((f) => f.props.code), ['GA-2']);
  assert.deepEqual((await features('cases', inGa, 'admin', '?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z')).map((f) => f.props.code), ['GA-1']);
  // A 岳池县 officer sees none of 广安区's cases; 广安区's administrator none of 岳池县's.
  assert.equal((await features('cases', inGa, 'yc_admin')).length, 0);
  assert.equal((await features('cases', inYc, 'ga_admin')).length, 0);
  assert.deepEqual((await features('cases', inYc, 'yc_admin')).map((f) => f.props.code), ['YC-1']);
});

test('tickets: no caller\'s name, phone, address or description; scoped; filtered by kind and time', async () => {
  const all = await features('tickets', inGa, 'admin');
  assert.deepEqual(all.map((f) => f.props.number).sort(), ['T-GA-1', 'T-GA-2']);
  const text = JSON.stringify(all);
  for (const secret of ['李四', '13800000000', '幸福小区', '夜间施工']) assert.ok(!text.includes(secret), secret);
  assert.equal(all.find((f) => f.props.number === 'T-GA-1')!.props.category, '噪声扰民');
  assert.deepEqual((await features('tickets', inGa, 'admin', '?kind=consultation')).map((f) => f.props.number), ['T-GA-2']);
  assert.deepEqual((await features('tickets', inGa, 'admin', '?from=2026-11-01T00:00:00Z')).map((f) => f.props.number), ['T-GA-1']);
  // A leap second is a valid RFC 3339 time that JavaScript's Date cannot hold: refused, naming the field.
  const leap = await t.call('GET', `/tiles/tickets/15/0/0.mvt?from=${encodeURIComponent('2016-12-31T23:59:60Z')}`, 'admin');
  assert.deepEqual([leap.statusCode, leap.json().field], [400, 'from'], leap.body);
  // The window is written into the statement: the first year a client may send is still a time.
  assert.deepEqual((await features('tickets', inGa, 'admin', '?from=0000-01-01T00:00:00Z&to=9999-12-31T23:59:59Z')).map((f) => f.props.number).sort(),
    ['T-GA-1', 'T-GA-2']);
  assert.equal((await features('tickets', inGa, 'yc_admin')).length, 0);
  assert.equal((await features('tickets', inYc, 'yc_admin')).length, 1);
});

test('sensors: devices of the jurisdiction with their type and connectivity', async () => {
  const here = await features('sensors', inGa, 'ga_admin');
  assert.deepEqual(here.map((f) => [f.props.code, f.props.name, f.props.state]), [['WL-GA-1', '积水水位监测', 'never']]);
  assert.equal((await features('sensors', inGa, 'ga_admin', '?state=online')).length, 0);
  assert.equal((await features('sensors', inYc, 'ga_admin')).length, 0);
});

test('refusals: a layer without the permission is 403, bad tiles and filters 400 naming the field, no login 401', async () => {
  const { x, y } = tileOf(inGa.lon, inGa.lat, 15);
  for (const layer of ['components', 'cases', 'tickets', 'sensors']) {
    const res = await t.call('GET', `/tiles/${layer}/15/${x}/${y}.mvt`, 'data_man');
    assert.equal(res.statusCode, 403, `${layer}: ${res.body}`);
  }
  const field = async (url: string, expected: string) => {
    const res = await t.call('GET', url, 'admin');
    assert.equal(res.statusCode, 400, url);
    assert.match(res.headers['content-type'] as string, /problem\+json/);
    assert.ok(JSON.stringify(res.json()).includes(`"${expected}"`), `${url}: ${res.body}`);
  };
  await field(`/tiles/components/23/${x}/${y}.mvt`, 'z');
  await field(`/tiles/components/2/4/1.mvt`, 'x');
  await field(`/tiles/components/2/1/4.mvt`, 'y');
  await field(`/tiles/components/2/-1/1.mvt`, 'x');
  await field(`/tiles/people/2/1/1.mvt`, 'layer');
  await field(`/tiles/cases/15/${x}/${y}.mvt?state=broken`, 'state');
  await field(`/tiles/tickets/15/${x}/${y}.mvt?from=yesterday`, 'from');
  await field(`/tiles/tickets/15/${x}/${y}.mvt?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z`, 'to');
  const anonymous = await t.call('GET', `/tiles/components/15/${x}/${y}.mvt`);
  assert.equal(anonymous.statusCode, 401);
});
