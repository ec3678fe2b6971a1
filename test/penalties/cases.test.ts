import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor } from '../../src/kernel/auth/index.ts';
import { integrateBatch } from '../../src/kernel/ledger/index.ts';
import { creditCode, createRng, residentId } from '../../src/kernel/demo/index.ts';
import { decideCase, fileCase, listCases, proposePenalty, reviewCase, viewCase } from '../../src/penalties/cases.ts';
import { listItems, saveItem, type SaveItem } from '../../src/penalties/items.ts';
import { ruleLibrary } from '../../src/oversight/library.ts';
import { evaluateRange } from '../../src/oversight/stream.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { makeDivisions } from '../helpers/factories.ts';
import { memberOf } from '../hotline/factories.ts';
import { ledgerCount, refusal, run } from '../kernel/org/factories.ts';

let testDb: TestDb;
const db = () => testDb.db;
let people: Record<'officer' | 'colleague' | 'head' | 'ycOfficer' | 'inspector' | 'market' | 'cityHead' | 'cityMarketHead', Actor>;
let roadItem: number;
let marketItem: number;

const road: SaveItem = {
  code: 'CF-CG-0003', name: '擅自占用城市道路', departmentKind: 'urban-management', violatedBasis: '《城市道路管理条例》第二十七条',
  penaltyBasis: '《城市道路管理条例》第四十二条', legalMin: 0, legalMax: 2_000_000, active: true,
  bands: { light: [0, 200_000], ordinary: [200_000, 800_000], severe: [800_000, 2_000_000] },
};
const rng = createRng('penalties-test');
const person = { partyKind: 'person' as const, partyName: '张建华', partyIdNumber: residentId(rng, '511602', '1980-05-12', true) };
const filing = (itemId: number) => ({ itemId, ...person, divisionCode: '511602001000', place: '浓洄街道人民路', facts: '未经批准在机动车道堆放建材' });

before(async () => {
  testDb = await createTestDb();
  await makeDivisions(db());
  const department = async (code: string, kind: string, division: string) => (await db().query<{ id: number }>(
    'INSERT INTO departments (code, name, kind, division_code) VALUES ($1, $2, $3, $4) RETURNING id::int', [code, `${code} 局`, kind, division])).rows[0]!.id;
  const gaUrban = await department('CG-511602', 'urban-management', '511602000000');
  const ycUrban = await department('CG-511621', 'urban-management', '511621000000');
  const gaMarket = await department('SJ-511602', 'market-regulation', '511602000000');
  const discipline = await department('JW-5116', 'discipline-inspection', '511600000000');
  const cityUrban = await department('CG-5116', 'urban-management', '511600000000');
  const cityMarket = await department('SJ-5116', 'market-regulation', '511600000000');
  people = {
    officer: memberOf(gaUrban, ['officer'], '511602000000', 'officer'),
    colleague: memberOf(gaUrban, ['officer'], '511602000000', 'colleague'),
    head: memberOf(gaUrban, ['dept_admin'], '511602000000', 'head'),
    ycOfficer: memberOf(ycUrban, ['officer'], '511621000000', 'yc'),
    market: memberOf(gaMarket, ['officer'], '511602000000', 'market'),
    inspector: memberOf(discipline, ['inspector'], '511600000000', 'inspector'),
    cityHead: memberOf(cityUrban, ['dept_admin'], '511600000000', 'city-head'),
    cityMarketHead: memberOf(cityMarket, ['dept_admin'], '511600000000', 'city-market-head'),
  };
  const admin = memberOf(gaUrban, ['platform_admin'], '511600000000', 'admin');
  roadItem = (await run(db(), admin, saveItem, road)).id;
  marketItem = (await run(db(), admin, saveItem, { ...road, code: 'CF-SJ-0003', name: '经营者未明码标价', departmentKind: 'market-regulation' })).id;
});
after(() => testDb?.drop());

test('裁量基准: bands lie inside the legal range from low to high; only an admin sets them; staff see their kind\'s items', async () => {
  const { head, officer, market, inspector, cityHead, cityMarketHead } = people;
  await assert.rejects(run(db(), officer, saveItem, road), refusal('forbidden', 403));
  // A county's head does not change the city's standard; a bureau of another kind does not take the item over.
  await assert.rejects(run(db(), head, saveItem, road), refusal('penalties.item.not-yours', 403));
  await assert.rejects(run(db(), cityMarketHead, saveItem, { ...road, departmentKind: 'market-regulation' }), refusal('penalties.item.not-yours', 403));
  await assert.rejects(run(db(), cityHead, saveItem, { ...road, bands: { ...road.bands, ordinary: [100_000, 900_000] } }), refusal('penalties.item.bad-band', 400, 'bands.ordinary'));
  await assert.rejects(run(db(), cityHead, saveItem, { ...road, bands: { ...road.bands, severe: [800_000, 3_000_000] } }), refusal('penalties.item.bad-band', 400, 'bands.severe'));
  await assert.rejects(run(db(), cityHead, saveItem, { ...road, bands: { ...road.bands, light: [300_000, 200_000] } }), refusal('penalties.item.bad-band', 400, 'bands.light'));
  assert.equal((await run(db(), cityHead, saveItem, { ...road, name: '擅自占用或者挖掘城市道路' })).name, '擅自占用或者挖掘城市道路');
  await run(db(), cityHead, saveItem, road);
  assert.deepEqual((await listItems(db(), officer)).map((i) => i.code), ['CF-CG-0003']);
  assert.deepEqual((await listItems(db(), market)).map((i) => i.code), ['CF-SJ-0003']);
  assert.deepEqual((await listItems(db(), inspector)).map((i) => i.code), ['CF-SJ-0003', 'CF-CG-0003']); // by department kind, then code
  assert.equal(await ledgerCount(db(), 'penalties.item.saved'), 4);
});

test('立案 → 拟处罚 → 法制审核 → 决定, each by another person; the decision publishes the fine for the rules', async () => {
  const { officer, colleague, head, ycOfficer, inspector, market } = people;
  await assert.rejects(run(db(), officer, fileCase, { ...filing(roadItem), partyIdNumber: '511602198005120000' }), refusal('validation', 400, 'partyIdNumber'));
  await assert.rejects(run(db(), officer, fileCase, filing(marketItem)), refusal('penalties.item.unknown', 400, 'itemId'));
  await assert.rejects(run(db(), officer, fileCase, { ...filing(roadItem), divisionCode: '511602999000' }), refusal('validation', 400, 'divisionCode'));
  await assert.rejects(run(db(), ycOfficer, fileCase, filing(roadItem)), refusal('forbidden', 403));
  await assert.rejects(run(db(), officer, fileCase, { ...filing(roadItem), partyKind: 'organisation', partyIdNumber: person.partyIdNumber }), refusal('validation', 400, 'partyIdNumber'));
  const filed = await run(db(), officer, fileCase, filing(roadItem));
  assert.match(filed.number, /^CF\d{4}-\d{6}$/);
  assert.equal(filed.state, 'investigating');

  await assert.rejects(run(db(), officer, proposePenalty, { id: filed.id, level: 'ordinary', amount: 2_000_100 }), refusal('penalties.amount-outside-law', 400, 'amount'));
  await assert.rejects(run(db(), officer, proposePenalty, { id: filed.id, level: 'light', amount: 500_000 }), refusal('validation', 400, 'deviation'));
  await assert.rejects(run(db(), ycOfficer, proposePenalty, { id: filed.id, level: 'light', amount: 100_000 }), refusal('penalties.case.not-found', 404));
  await assert.rejects(run(db(), market, proposePenalty, { id: filed.id, level: 'light', amount: 100_000 }), refusal('penalties.case.not-found', 404));
  // A colleague who proposed would then be free to review their own proposal.
  await assert.rejects(run(db(), colleague, proposePenalty, { id: filed.id, level: 'light', amount: 100_000 }), refusal('penalties.not-investigator', 403));
  const proposed = await run(db(), officer, proposePenalty, { id: filed.id, level: 'light', amount: 500_000, deviation: '占道时间长达三个月，影响通行' });
  assert.deepEqual([proposed.state, proposed.level, proposed.amount, proposed.deviation], ['proposed', 'light', 500_000, '占道时间长达三个月，影响通行']);

  await assert.rejects(run(db(), officer, reviewCase, { id: filed.id, approve: true }), refusal('penalties.own-investigation', 403));
  await assert.rejects(run(db(), colleague, reviewCase, { id: filed.id, approve: false }), refusal('validation', 400, 'note'));
  const returned = await run(db(), colleague, reviewCase, { id: filed.id, approve: false, note: '证据不足，补充现场照片' });
  assert.equal(returned.state, 'investigating');
  await run(db(), officer, proposePenalty, { id: filed.id, level: 'light', amount: 500_000, deviation: '占道时间长达三个月，影响通行' });
  const reviewed = await run(db(), colleague, reviewCase, { id: filed.id, approve: true });
  assert.equal(reviewed.state, 'reviewed');

  await assert.rejects(run(db(), colleague, decideCase, { id: filed.id, approve: true }), refusal('forbidden', 403));
  const decided = await run(db(), head, decideCase, { id: filed.id, approve: true, note: '同意' });
  assert.equal(decided.state, 'decided');
  await assert.rejects(run(db(), head, decideCase, { id: filed.id, approve: true }), refusal('penalties.case.bad-state', 409));

  // The head who reviewed a case does not decide it.
  const second = await run(db(), colleague, fileCase, filing(roadItem));
  await run(db(), colleague, proposePenalty, { id: second.id, level: 'ordinary', amount: 300_000 });
  await run(db(), head, reviewCase, { id: second.id, approve: true });
  await assert.rejects(run(db(), head, decideCase, { id: second.id, approve: true }), refusal('penalties.own-check', 403));

  await integrateBatch(db());
  const { rows: [entry] } = await db().query<{ facts: Record<string, unknown> }>(
    `SELECT facts FROM ledger_entries WHERE action = 'penalties.case.decided' AND object_id = $1`, [filed.number]);
  assert.deepEqual(entry!.facts, { actorJurisdiction: '511602', amount: 500_000, beyondBand: true, division: '511602001000', item: 'CF-CG-0003',
    itemLevel: 'CF-CG-0003:light', level: 'light' });

  // Reads: the department and the city's inspectors see the case, another county does not; lists mask the person.
  const listed = await listCases(db(), officer, { limit: 10, offset: 0 });
  assert.equal(listed.total, 2);
  const row = listed.items.find((c) => c.id === filed.id)!;
  assert.equal(row.partyName, '张某某');
  assert.equal(row.partyIdNumber, `${person.partyIdNumber.slice(0, 4)}**********${person.partyIdNumber.slice(-4)}`);
  assert.deepEqual(listed.items.find((c) => c.id === second.id)!.abilities, []);
  assert.equal((await listCases(db(), ycOfficer, { limit: 10, offset: 0 })).total, 0);
  assert.equal((await listCases(db(), market, { limit: 10, offset: 0 })).total, 0);
  assert.equal((await listCases(db(), inspector, { limit: 10, offset: 0, state: ['decided'] })).total, 1);
  const viewed = await run(db(), inspector, viewCase, { id: filed.id });
  assert.equal(viewed.case.partyName, '张建华');
  assert.deepEqual(viewed.events.map((e) => e.action), ['penalties.case.filed', 'penalties.case.proposed', 'penalties.case.returned',
    'penalties.case.proposed', 'penalties.case.reviewed', 'penalties.case.decided']);
  assert.deepEqual(viewed.abilities, []);
  assert.equal(await ledgerCount(db(), 'penalties.case.viewed'), 1);
  await assert.rejects(run(db(), ycOfficer, viewCase, { id: filed.id }), refusal('penalties.case.not-found', 404));
});

test('the rules of the library catch a fine far from its peers and one outside its band, and nothing in the usual run', async () => {
  const { officer, colleague, head } = people;
  const fine = async (level: 'light' | 'ordinary', amount: number, deviation?: string) => {
    const c = await run(db(), officer, fileCase, { ...filing(roadItem), partyKind: 'organisation', partyName: '广安顺意商贸有限公司', partyIdNumber: creditCode('511602', 1) });
    await run(db(), officer, proposePenalty, { id: c.id, level, amount, deviation });
    await run(db(), colleague, reviewCase, { id: c.id, approve: true });
    return (await run(db(), head, decideCase, { id: c.id, approve: true })).number;
  };
  for (let i = 0; i < 24; i++) await fine('ordinary', 380_000 + (i % 6) * 10_000);
  const far = await fine('ordinary', 790_000);
  for (let integrated = 1; integrated > 0;) ({ integrated } = await integrateBatch(db()));
  const versions = ruleLibrary.filter((r) => r.code.startsWith('fine-')).map((r, i) => ({ id: i + 1, definition: r.definition }));
  const emitted = await evaluateRange(db(), versions, 0);
  const { rows } = await db().query<{ leaf: number; number: string }>(
    `SELECT leaf_index::int AS leaf, object_id AS number FROM ledger_entries WHERE action = 'penalties.case.decided'`);
  const numberOf = new Map(rows.map((r) => [r.leaf, r.number]));
  const caught = emitted.map((e) => `${versions.find((v) => v.id === e.ruleVersionId)!.id === 1 ? 'fine-outlier' : 'fine-beyond-discretion'} ${e.entries.map((x) => numberOf.get(x)).join()}`);
  const beyond = (await db().query<{ number: string }>(`SELECT number FROM penalty_cases WHERE deviation IS NOT NULL`)).rows.map((r) => r.number);
  assert.deepEqual(caught.sort(), [`fine-outlier ${far}`, ...beyond.map((n) => `fine-beyond-discretion ${n}`)].sort());
});
