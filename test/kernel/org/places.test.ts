import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, type TestApp } from '../../helpers/factories.ts';

let t: TestApp;
before(async () => {
  t = await createTestApp({ demo: true });
});
after(() => t.close());

const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/org/${url}` });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
};

/** A township of 岳池县 (other than `not`). */
const yuechiTownship = async (not = '') => (await t.db.query<{ name: string }>(
  `SELECT name FROM divisions WHERE parent_code = '511621000000' AND name <> $1 ORDER BY code LIMIT 1`, [not])).rows[0]!;

test('GET /org/places finds counties, townships, communities and grids by name, larger places first', async () => {
  const { items: [county] } = await get(`places?q=${encodeURIComponent('岳池县')}`);
  assert.deepEqual([county.code, county.name, county.level, county.within], ['511621000000', '岳池县', 'county', []]);
  const [west, south, east, north] = county.bbox;
  assert.ok(west < county.lon && county.lon < east && south < county.lat && county.lat < north, 'the label point is inside the box');

  const { items: grids } = await get(`places?q=${encodeURIComponent('第1网格')}`);
  assert.ok(grids.length === 10 && grids.every((p: { level: string; name: string }) => p.level === 'grid' && p.name.endsWith('第1网格')));

  const { items: communities } = await get(`places?q=${encodeURIComponent('社区')}`);
  assert.ok(communities.some((p: { level: string; within: string[] }) => p.level === 'community' && p.within[0] === '广安区'), 'communities of 广安区');
});

test('an address is found by the places it names, the most specific first', async () => {
  const township = await yuechiTownship();
  const address = `四川省广安市岳池县${township.name}建设路12号`;
  const { items: [found] } = await get(`places?q=${encodeURIComponent(address)}`);
  assert.deepEqual([found.name, found.level, found.within], [township.name, 'township', ['岳池县']]);
  assert.deepEqual((await get(`places?q=${encodeURIComponent('不存在的地方')}`)).items, []);
});

test('GET /org/places/check: a 广安区 address for a point in 岳池县 is a mismatch; the right county is not', async () => {
  const { items: [yuechi] } = await get(`places?q=${encodeURIComponent('岳池县')}`);
  const check = (address: string) => get(`places/check?address=${encodeURIComponent(address)}&lon=${yuechi.lon}&lat=${yuechi.lat}`);
  const wrong = await check('广安区建设路8号');
  assert.equal(wrong.mismatch, true);
  assert.deepEqual([wrong.address.name, wrong.address.level, wrong.point.countyName], ['广安区', 'county', '岳池县']);
  assert.match(wrong.point.townshipName, /(镇|乡|街道)$/);
  assert.equal((await check('岳池县建设路8号')).mismatch, false);
  assert.equal((await check(`岳池县${wrong.point.townshipName}建设路8号`)).mismatch, false);
  const otherTownship = await yuechiTownship(wrong.point.townshipName);
  assert.equal((await check(`岳池县${otherTownship.name}`)).mismatch, true, 'same county, another township');
  const unnamed = await check('建设路8号');
  assert.deepEqual([unnamed.address, unnamed.mismatch], [null, false], 'an address naming no division is not checked');
});

test('GET /org/places/check sees a renamed township at once: the names are cached by the divisions\' stamp', async () => {
  const { items: [yuechi] } = await get(`places?q=${encodeURIComponent('岳池县')}`);
  const check = (address: string) => get(`places/check?address=${encodeURIComponent(address)}&lon=${yuechi.lon}&lat=${yuechi.lat}`);
  const { point } = await check('岳池县');
  const newName = '测试改名镇';
  assert.equal((await check(`岳池县${newName}`)).address.name, '岳池县', 'the new name names nothing yet');
  await t.db.query('UPDATE divisions SET name = $2 WHERE code = $1', [point.townshipCode, newName]);
  try {
    const renamed = await check(`岳池县${newName}5号`);
    assert.deepEqual([renamed.address.code, renamed.address.name, renamed.point.townshipName, renamed.mismatch],
      [point.townshipCode, newName, newName, false]);
  } finally {
    await t.db.query('UPDATE divisions SET name = $2 WHERE code = $1', [point.townshipCode, point.townshipName]);
  }
});
