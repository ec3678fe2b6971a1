import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signingKeyOf } from '../../src/cityops/sensors/devices.ts';
import { signReading } from '../../src/cityops/sensors/ingest.ts';
import { markOfflineDevices } from '../../src/cityops/sensors/offline.ts';
import { expireReadings } from '../../src/cityops/sensors/retention.ts';
import { openEventCases } from '../../src/cityops/sensors/cases.ts';
import { prepareCaseKinds } from '../../src/cityops/case-kinds.ts';
import { ledgerCount } from '../helpers/factories.ts';
import { cityopsAppPerFile, inGa, inYc } from './factories.ts';

// Case kinds too: a raised event opens a case (案件).
const t = cityopsAppPerFile((app) => prepareCaseKinds(app.db));
const secrets = new Map<string, string>();

/** A reading of `device` signed with its secret (or `sig` as given). */
function reading(device: string, seq: number, value: number, over: Record<string, unknown> = {}) {
  const r = { device, seq, at: Date.now(), value, ...over } as { device: string; seq: number; at: number; value: number };
  return { ...r, sig: signReading(signingKeyOf(secrets.get(device) ?? 'unknown-secret'), r), ...('sig' in over ? { sig: over.sig } : {}) };
}
const post = (body: unknown) => t.call('POST', '/sensors/readings', undefined, body);
const problem = async (body: unknown, batch = false) => {
  const res = await t.call('POST', batch ? '/sensors/readings/batch' : '/sensors/readings', undefined, body);
  return [res.statusCode, res.json().code, res.json().field];
};

async function register(code: string, typeCode: string, place: Record<string, unknown> = inGa, user = 'ga_admin') {
  const res = await t.call('POST', '/sensors/devices', user, { code, typeCode, ...place });
  assert.equal(res.statusCode, 201, res.body);
  secrets.set(code, res.json().secret);
  return res.json();
}

test('POST /sensors/devices walks 401, 400 naming the field, 403, then 201 with the secret once and a ledger entry', async () => {
  const body = { code: 'WL-T001', typeCode: 'water_level', ...inGa };
  assert.equal((await t.call('POST', '/sensors/devices', undefined, body)).statusCode, 401);
  for (const [change, code, field] of [
    [{ code: 'a b' }, 'cityops.sensor.bad-device-code', 'code'],
    [{ typeCode: 'radar' }, 'cityops.sensor.unknown-type', 'typeCode'],
    [{ lat: 95 }, 'cityops.sensor.bad-location', 'lat'],
    [{ componentCode: '5116020117999999' }, 'cityops.sensor.unknown-component', 'componentCode'],
  ] as const) {
    const res = await t.call('POST', '/sensors/devices', 'ga_admin', { ...body, ...change });
    assert.deepEqual([res.statusCode, res.json().code, res.json().field], [400, code, field]);
  }
  assert.equal((await t.call('POST', '/sensors/devices', 'ga_officer', body)).statusCode, 403, 'an officer reads only');
  assert.equal((await t.call('POST', '/sensors/devices', 'yc_admin', body)).statusCode, 403, 'outside the jurisdiction');
  const device = await register('WL-T001', 'water_level');
  assert.match(device.secret, /^[A-Za-z0-9_-]{43}$/);
  assert.deepEqual([device.topic, device.connectivity, device.enabled, device.divisionCode], ['yiwang/sensors/WL-T001/readings', 'never', true, '511602001000']);
  assert.equal((await t.call('POST', '/sensors/devices', 'ga_admin', body)).statusCode, 409);
  const listed = (await t.call('GET', '/sensors/devices/WL-T001', 'ga_officer')).json();
  assert.equal(listed.secret, undefined, 'the secret is shown once');
  const { rows } = await t.db.query(`SELECT secret_hash FROM cityops_sensor_devices WHERE code = 'WL-T001'`);
  assert.match(rows[0].secret_hash, /^scrypt\$/);
  assert.equal(await ledgerCount(t.db, 'cityops.sensor.device.registered'), 1, 'refusals wrote nothing');
  assert.equal((await t.call('GET', '/sensors/devices/WL-T001', 'yc_officer')).statusCode, 404);
});

test('HTTP ingest refuses bad readings with problem+json naming the field, and writes nothing of a batch with one bad', async () => {
  await register('MT-T001', 'manhole_tilt');
  const now = Date.now();
  assert.deepEqual(await problem([1, 2]), [400, 'cityops.sensor.malformed-reading', 'body']);
  assert.deepEqual(await problem({ ...reading('MT-T001', 1, 1), seq: -1 }), [400, 'cityops.sensor.malformed-reading', 'seq']);
  assert.deepEqual(await problem({ ...reading('MT-T001', 1, 1), value: 'high' }), [400, 'cityops.sensor.malformed-reading', 'value']);
  assert.deepEqual(await problem(reading('MT-T001', 1, 1, { sig: undefined })), [401, 'cityops.sensor.unsigned-reading', 'sig']);
  assert.deepEqual(await problem({ ...reading('MT-T001', 1, 1), value: 2 }), [401, 'cityops.sensor.bad-signature', 'sig'], 'a changed value breaks the signature');
  assert.deepEqual(await problem(reading('XX-NONE', 1, 1)), [401, 'cityops.sensor.unknown-device', 'device']);
  assert.deepEqual(await problem(reading('MT-T001', 1, 1, { at: now + 3_600_000 })), [400, 'cityops.sensor.reading-in-future', 'at']);
  assert.deepEqual(await problem(reading('MT-T001', 1, 1, { at: now - 10 * 86_400_000 })), [400, 'cityops.sensor.reading-too-old', 'at']);
  const batch = { readings: [reading('MT-T001', 1, 1), reading('MT-T001', 2, 30), { ...reading('MT-T001', 3, 30), sig: reading('MT-T001', 4, 30).sig }] };
  assert.deepEqual(await problem(batch, true), [401, 'cityops.sensor.bad-signature', 'readings[2].sig']);
  const { rows } = await t.db.query(`SELECT count(*)::int AS n FROM cityops_sensor_readings`);
  assert.equal(rows[0].n, 0, 'nothing of the refused batch is stored');
  const stats = (await t.call('GET', '/sensors/ingest', 'ga_admin')).json();
  assert.equal(stats.refused['cityops.sensor.bad-signature'], 2);
  assert.equal((await t.call('GET', '/sensors/ingest', 'ga_officer')).statusCode, 403);
  // The same batch made good is stored whole, and its sequence state was untouched by the refusal.
  batch.readings[2] = reading('MT-T001', 3, 30);
  const ok = await t.call('POST', '/sensors/readings/batch', undefined, batch);
  assert.deepEqual([ok.statusCode, ok.json().outcomes], [200, ['stored', 'stored', 'stored']]);
  const raised = (await t.call('GET', '/sensors/events?deviceCode=MT-T001', 'ga_officer')).json();
  assert.deepEqual(raised.items.map((e: { rule: string; state: string }) => `${e.rule}:${e.state}`), ['tilted:raised'], 'two readings ≥ 15° (debounce 2)');
});

test('duplicates and out-of-order readings are idempotent by device sequence; a threshold event is raised and cleared with ledger entries and case fields', async () => {
  await register('WL-T002', 'water_level');
  const send = async (seq: number, value: number) => (await post(reading('WL-T002', seq, value))).json().outcomes[0];
  assert.deepEqual([await send(1, 0.1), await send(2, 0.35), await send(3, 0.36)], ['stored', 'stored', 'stored']);
  assert.equal(await send(2, 0.35), 'duplicate');
  assert.equal(await send(5, 0.4), 'stored');
  assert.equal(await send(4, 0.9), 'late', 'an older reading is stored but does not feed the rules');
  assert.equal(await send(4, 0.9), 'duplicate');
  const events = async () => (await t.call('GET', '/sensors/events?deviceCode=WL-T002', 'ga_officer')).json().items;
  const [raised] = await events();
  assert.deepEqual([raised.rule, raised.state, raised.raisedValue, raised.caseClassCode, raised.caseKindCode, raised.divisionCode],
    ['flooding', 'raised', 0.4, '01', '03', '511602001000'], 'raised on the third reading at or above 0.30 m (5, since 4 came late)');
  assert.match(raised.description, /积水水位监测设备 WL-T002.*报警「积水超限」.*0\.4 m/);
  for (const [seq, value] of [[6, 0.25], [7, 0.15], [8, 0.1]] as const) await send(seq, value);
  assert.equal((await events())[0].state, 'raised', 'not yet three readings below 0.20 m');
  await send(9, 0.12);
  const [cleared] = await events();
  assert.deepEqual([cleared.state, cleared.clearedValue], ['cleared', 0.12]);
  const device = (await t.call('GET', '/sensors/devices/WL-T002', 'ga_officer')).json();
  assert.deepEqual([device.lastSeq, device.lastValue, device.connectivity], [9, 0.12, 'online']);
  const { rows } = await t.db.query(`SELECT seq::int, value FROM cityops_sensor_readings r JOIN cityops_sensor_devices d ON d.id = r.device_id
    WHERE d.code = 'WL-T002' ORDER BY seq`);
  assert.deepEqual(rows.map((r) => r.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9], 'each (device, seq) once');
  const { rows: ledger } = await t.db.query(`SELECT action FROM ledger_queue WHERE object_type = 'sensor-event' ORDER BY id`);
  assert.deepEqual(ledger.map((l) => l.action).slice(-2), ['cityops.sensor.event.raised', 'cityops.sensor.event.cleared']);
});

test('disable, enable and rotate: a disabled device and an old secret are refused; offline after the type\'s interval, online on the next reading', async () => {
  await register('SL-T001', 'streetlight_current');
  assert.equal((await post(reading('SL-T001', 1, 2.5))).statusCode, 200);
  assert.equal((await t.call('POST', '/sensors/devices/SL-T001/disable', 'ga_officer', {})).statusCode, 403);
  assert.equal((await t.call('POST', '/sensors/devices/SL-T001/disable', 'yc_admin', {})).statusCode, 404);
  const disabled = await t.call('POST', '/sensors/devices/SL-T001/disable', 'ga_admin', { reason: '更换设备' });
  assert.deepEqual([disabled.statusCode, disabled.json().enabled], [200, false]);
  assert.deepEqual(await problem(reading('SL-T001', 2, 2.5)), [403, 'cityops.sensor.device-disabled', 'device']);
  await t.call('POST', '/sensors/devices/SL-T001/enable', 'ga_admin');
  const oldSecret = secrets.get('SL-T001')!;
  const rotated = (await t.call('POST', '/sensors/devices/SL-T001/secret', 'ga_admin')).json();
  assert.notEqual(rotated.secret, oldSecret);
  assert.deepEqual(await problem(reading('SL-T001', 2, 2.5)), [401, 'cityops.sensor.bad-signature', 'sig'], 'the old secret no longer signs');
  secrets.set('SL-T001', rotated.secret);
  assert.deepEqual((await post(reading('SL-T001', 2, 2.5))).json().outcomes, ['stored']);
  // The type allows 1,800 s of silence.
  assert.equal(await markOfflineDevices(t.db, new Date(Date.now() + 600_000)), 0);
  assert.ok(await markOfflineDevices(t.db, new Date(Date.now() + 1_900_000)) >= 1);
  assert.equal((await t.call('GET', '/sensors/devices?connectivity=offline', 'ga_officer')).json().items.some((d: { code: string }) => d.code === 'SL-T001'), true);
  await post(reading('SL-T001', 3, 2.5));
  assert.equal((await t.call('GET', '/sensors/devices/SL-T001', 'ga_officer')).json().connectivity, 'online');
  const { rows } = await t.db.query(`SELECT action FROM ledger_queue WHERE object_type = 'sensor-device' AND object_id = 'SL-T001' ORDER BY id`);
  assert.deepEqual(rows.map((r) => r.action), ['cityops.sensor.device.registered', 'cityops.sensor.device.online', 'cityops.sensor.device.disabled',
    'cityops.sensor.device.enabled', 'cityops.sensor.device.secret-rotated', 'cityops.sensor.device.offline', 'cityops.sensor.device.online']);
});

test('devices mounted on a component take its place and its kind for cases; lists are scoped; type rules are set by the platform admin', async () => {
  await t.call('POST', '/components', 'ga_admin', { code: '5116020102000077', ...inGa });
  const mounted = await register('MT-T002', 'manhole_tilt', { componentCode: '5116020102000077' });
  assert.deepEqual([mounted.componentCode, mounted.lon, mounted.lat], ['5116020102000077', inGa.lon, inGa.lat]);
  await register('MT-Y001', 'manhole_tilt', inYc, 'yc_admin');
  for (const seq of [1, 2]) await post(reading('MT-T002', seq, 40));
  const [event] = (await t.call('GET', '/sensors/events?deviceCode=MT-T002', 'ga_officer')).json().items;
  assert.deepEqual([event.componentCode, event.caseClassCode, event.caseKindCode], ['5116020102000077', '01', '02'], 'the component\'s kind, 污水井盖');
  const codes = async (user: string) => (await t.call('GET', '/sensors/devices?typeCode=manhole_tilt', user)).json().items.map((d: { code: string }) => d.code);
  assert.deepEqual(await codes('ga_officer'), ['MT-T001', 'MT-T002']);
  assert.deepEqual(await codes('yc_officer'), ['MT-Y001']);
  const rules = [{ name: 'tilted', kind: 'threshold', direction: 'above', raise: 20, clear: 25 }];
  assert.equal((await t.call('PATCH', '/sensors/types/manhole_tilt', 'ga_admin', { rules })).statusCode, 403);
  const bad = await t.call('PATCH', '/sensors/types/manhole_tilt', 'admin', { rules });
  assert.deepEqual([bad.statusCode, bad.json().field], [400, 'rules[0].clear']);
  rules[0]!.clear = 10;
  const ok = await t.call('PATCH', '/sensors/types/manhole_tilt', 'admin', { rules });
  assert.deepEqual([ok.statusCode, ok.json().rules[0].raise], [200, 20]);
  assert.equal(await ledgerCount(t.db, 'cityops.sensor.type.updated'), 1);
});

test('a raised event opens an urgent case of its kind at once, waiting for 立案; the sweep opens none twice, and a refused case keeps its reason', async () => {
  await register('CS-T001', 'manhole_tilt');
  await register('CS-T002', 'manhole_tilt');
  const opened = async () => ledgerCount(t.db, 'cityops.case.opened');
  const before = await opened();
  for (const seq of [1, 2]) await post(reading('CS-T001', seq, 30));
  const eventOf = async (device: string) => (await t.call('GET', `/sensors/events?deviceCode=${device}`, 'ga_officer')).json().items[0];
  // The ingest opens the case as soon as the event is committed, beside the reading's answer.
  let event = await eventOf('CS-T001');
  for (let i = 0; i < 50 && event.caseId === null; i++) event = await new Promise((r) => setTimeout(r, 100)).then(() => eventOf('CS-T001'));
  const { rows: [made] } = await t.db.query(`SELECT source, source_ref, urgency, kind_code, state, description FROM cityops_cases WHERE id = $1`, [event.caseId]);
  assert.deepEqual({ ...made, description: undefined }, { source: 'sensor', source_ref: `sensor-event:${event.id}`, urgency: 'urgent',
    kind_code: 'C0113', state: 'filing', description: undefined });
  assert.match(made.description, /井盖倾斜监测设备 CS-T001/);
  assert.equal(await opened(), before + 1);
  assert.equal(await openEventCases(t.db), 0, 'the sweep finds nothing left to open');
  // With the kind retired, the next event is raised and its case refused, the reason kept.
  await t.db.query(`UPDATE cityops_case_kinds SET active = false WHERE code = 'C0113'`);
  for (const seq of [1, 2]) await post(reading('CS-T002', seq, 30));
  await openEventCases(t.db);
  const refused = await eventOf('CS-T002');
  assert.deepEqual([refused.state, refused.caseId], ['raised', null]);
  assert.match(refused.caseError, /^cityops\.case\.unknown-kind/);
  assert.equal(await openEventCases(t.db), 0, 'a refused event is not tried again');
  assert.equal(await opened(), before + 1);
});

test('readings past their type\'s retention are deleted by the sweep, counted on the ledger; recent readings and the events stay', async () => {
  const bad = await t.call('PATCH', '/sensors/types/smoke', 'admin', { retentionDays: 3 });
  assert.deepEqual([bad.statusCode, bad.json().field], [400, 'retentionDays']);
  const set = await t.call('PATCH', '/sensors/types/smoke', 'admin', { retentionDays: 30 });
  assert.deepEqual([set.statusCode, set.json().retentionDays], [200, 30]);
  await register('SM-T001', 'smoke');
  const day = 86_400_000;
  const now = Date.now();
  for (const [seq, daysAgo] of [[1, 2.5], [2, 2], [3, 0]] as const) assert.equal((await post(reading('SM-T001', seq, 1, { at: now - daysAgo * day }))).statusCode, 200);
  // Age the first two past 30 days (the ingest refuses readings older than 3 days, so the test moves them back).
  await t.db.query(`UPDATE cityops_sensor_readings r SET at = at - interval '31 days' FROM cityops_sensor_devices d
                     WHERE d.id = r.device_id AND d.code = 'SM-T001' AND r.seq IN (1, 2)`);
  const kept = async () => (await t.db.query(`SELECT r.seq::int FROM cityops_sensor_readings r JOIN cityops_sensor_devices d ON d.id = r.device_id
                                                 WHERE d.code = 'SM-T001' ORDER BY seq`)).rows.map((r) => r.seq);
  const others = (await t.db.query('SELECT count(*)::int AS n FROM cityops_sensor_readings')).rows[0].n - 3;
  assert.equal(await expireReadings(t.db, new Date(now)), 2);
  assert.deepEqual(await kept(), [3]);
  assert.equal((await t.db.query('SELECT count(*)::int AS n FROM cityops_sensor_readings')).rows[0].n, others + 1, 'other types\' readings are within 400 days');
  assert.equal(await ledgerCount(t.db, 'cityops.sensor.readings.expired'), 1);
  assert.equal(await expireReadings(t.db, new Date(now)), 0, 'nothing twice');
  assert.equal(await ledgerCount(t.db, 'cityops.sensor.readings.expired'), 1, 'a run that deleted nothing leaves no entry');
});
