import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import { point } from '@turf/helpers';
import { generateCity, type DivisionCell, type Polygon } from '../../src/kernel/demo/index.ts';
import { roles as ROLES } from '../../src/kernel/auth/actor.ts';

const city = generateCity('test-seed');
const byCode = new Map(city.divisions.map((division) => [division.code12, division]));
const cellOf = new Map(city.divisionGeometry.map((cell) => [cell.divisionCode12, cell]));
const ofLevel = (level: string) => city.divisions.filter((division) => division.level === level);
const VILLAGE_COUNTIES = ['511602', '511603'];

type Position = [number, number];

/** The ring of a polygon; fails unless it is one closed, counter-clockwise ring near 广安 in millionths of a degree. */
function ringOf(polygon: Polygon): Position[] {
  assert.equal(polygon.type, 'Polygon');
  assert.equal(polygon.coordinates.length, 1, 'one ring, no holes');
  const ring = polygon.coordinates[0];
  assert.ok(ring.length >= 4);
  assert.deepEqual(ring[0], ring[ring.length - 1], 'ring is closed');
  for (const [lon, lat] of ring) {
    assert.ok(lon >= 106.25 && lon <= 107.25 && lat >= 29.95 && lat <= 30.95, `[${lon}, ${lat}] near 广安`);
    assert.equal(Number(lon.toFixed(6)), lon);
    assert.equal(Number(lat.toFixed(6)), lat);
  }
  assert.ok(area(polygon) > 0, 'exterior ring is counter-clockwise (RFC 7946)');
  return ring;
}

function area(polygon: Polygon): number {
  const ring = polygon.coordinates[0];
  let doubleArea = 0;
  for (let i = 0; i + 1 < ring.length; i++) doubleArea += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return doubleArea / 2;
}

const edgesOf = (polygon: Polygon) => ringOf(polygon).slice(1).map((to, i, rest) => `${i === 0 ? ringOf(polygon)[0] : rest[i - 1]}>${to}`);

/**
 * Children tile their parent: every side of a child is either shared, vertex for vertex, with one other
 * child (running the other way) or a side of the parent; every side of the parent is a child's; and the
 * areas add up, so the children neither leave gaps nor overlap.
 */
function assertTiles(parent: Polygon, children: Polygon[], what: string) {
  const parentEdges = new Set(edgesOf(parent));
  const childEdges = children.flatMap(edgesOf);
  const shared = new Set(childEdges);
  assert.equal(shared.size, childEdges.length, `${what}: no side drawn twice the same way`);
  for (const edge of childEdges) {
    const [from, to] = edge.split('>');
    assert.ok(shared.has(`${to}>${from}`) || parentEdges.has(edge), `${what}: side ${edge} is shared or on the border`);
  }
  for (const edge of parentEdges) assert.ok(shared.has(edge), `${what}: border side ${edge} is a child's`);
  const sum = children.reduce((total, child) => total + area(child), 0);
  assert.ok(Math.abs(sum - area(parent)) < 1e-9, `${what}: pieces cover ${sum} of ${area(parent)}`);
}

/** The mean of a ring's vertices: inside a cell as gently bent as these. */
function middleOf(polygon: Polygon): Position {
  const ring = ringOf(polygon).slice(1);
  return [ring.reduce((s, p) => s + p[0], 0) / ring.length, ring.reduce((s, p) => s + p[1], 0) / ring.length];
}

const township9 = (code12: string) => code12.slice(0, 9);

test('the real divisions: 四川省, 广安市, 6 counties and 124 townships, not generated', () => {
  assert.equal(ofLevel('province').length, 1);
  assert.equal(ofLevel('city').length, 1);
  assert.deepEqual(
    ofLevel('county').map((county) => `${county.code12} ${county.name}`),
    [
      '511602000000 广安区', '511603000000 前锋区', '511621000000 岳池县',
      '511622000000 武胜县', '511623000000 邻水县', '511681000000 华蓥市',
    ],
  );
  assert.equal(ofLevel('township').length, 124);
  for (const division of city.divisions.filter((d) => d.level !== 'village')) {
    assert.equal(division.generated, false, division.code12);
    assert.match(division.code12, /^5116\d{8}$|^510000000000$/);
  }
  assert.equal(new Set(city.divisions.map((d) => d.code12)).size, city.divisions.length, 'codes unique');
});

const REAL_TOWNSHIPS = [
  ['511602001000', '浓洄街道', '511602000000'],
  ['511602216000', '白马乡', '511602000000'],
  ['511603002000', '大佛寺街道', '511603000000'],
  ['511621110000', '顾县镇', '511621000000'],
  ['511622116000', '宝箴塞镇', '511622000000'],
  ['511623100000', '鼎屏镇', '511623000000'],
  ['511681200000', '红岩乡', '511681000000'],
] as const;

for (const [code12, name, parentCode12] of REAL_TOWNSHIPS) {
  test(`township ${code12} resolves to ${name}`, () => {
    assert.deepEqual(byCode.get(code12), { code12, name, level: 'township', parentCode12, generated: false });
    assert.equal(byCode.get(byCode.get(parentCode12)!.parentCode12!)!.name, '广安市');
  });
}

test('villages and communities: only under 广安区 and 前锋区, 3–8 per township, NBS-style codes', () => {
  const villages = ofLevel('village');
  assert.ok(villages.length > 0);
  for (const village of villages) {
    assert.equal(village.generated, true);
    assert.match(village.code12, /^\d{12}$/);
    const township = byCode.get(village.parentCode12!)!;
    assert.equal(township.level, 'township');
    assert.ok(VILLAGE_COUNTIES.includes(township.code12.slice(0, 6)), `${village.code12} under ${township.code12}`);
    assert.equal(township9(village.code12), township9(township.code12));
    const serial = Number(village.code12.slice(9));
    if (village.name.endsWith('社区')) assert.ok(serial >= 1 && serial <= 199, village.code12);
    else {
      assert.ok(village.name.endsWith('村'), village.name);
      assert.ok(serial >= 200 && serial <= 399, village.code12);
    }
  }
  for (const township of ofLevel('township')) {
    const count = villages.filter((village) => village.parentCode12 === township.code12).length;
    if (VILLAGE_COUNTIES.includes(township.code12.slice(0, 6)))
      assert.ok(count >= 3 && count <= 8, `${township.name}: ${count}`);
    else assert.equal(count, 0, township.name);
    const names = villages.filter((v) => v.parentCode12 === township.code12).map((v) => v.name);
    assert.equal(new Set(names).size, names.length, `${township.name}: names unique`);
  }
  const streetUnits = villages.filter((village) => byCode.get(village.parentCode12!)!.name.endsWith('街道'));
  assert.ok(streetUnits.every((unit) => unit.name.endsWith('社区')), '街道 have communities only');
});

test('departments: 17 at city level, 16 in each county, with the names the city uses', () => {
  const at = (code12: string) => city.departments.filter((d) => d.divisionCode12 === code12);
  assert.equal(at('511600000000').length, 17);
  for (const county of ofLevel('county')) {
    const departments = at(county.code12);
    assert.equal(departments.length, 16, county.name);
    assert.equal(new Set(departments.map((d) => d.kind)).size, 16, `${county.name}: one of each kind`);
    for (const department of departments) {
      assert.ok(department.name.startsWith(county.name), department.name);
      assert.equal(department.code.slice(0, 6), county.code12.slice(0, 6));
    }
  }
  assert.equal(city.departments.length, 17 + 6 * 16);
  assert.equal(new Set(city.departments.map((d) => d.code)).size, city.departments.length, 'codes unique');
  assert.equal(new Set(city.departments.map((d) => d.name)).size, city.departments.length, 'names unique');
  const named = new Map(city.departments.map((d) => [d.code, d.name]));
  for (const [code, name] of [
    ['511600-ZS', '广安市政务服务和数据管理局'],
    ['511600-RX', '广安市12345政务服务便民热线中心'],
    ['511600-JW', '广安市纪委监委'],
    ['511600-WJ', '广安市卫生健康委员会'],
    ['511600-HJ', '广安市生态环境局'],
    ['511602-GA', '广安区公安分局'],
    ['511603-GA', '前锋区公安分局'],
    ['511621-GA', '岳池县公安局'],
    ['511681-GA', '华蓥市公安局'],
    ['511602-MZ', '广安区民政局'],
    ['511621-MZ', '岳池县民政局'],
    ['511623-HJ', '邻水县生态环境分局'],
    ['511622-SP', '武胜县行政审批局'],
    ['511622-WJ', '武胜县卫生健康局'],
  ]) assert.equal(named.get(code), name);
  assert.equal(named.get('511600-SP'), undefined, 'no 行政审批局 at city level');
  assert.equal(named.get('511602-RX'), undefined, '12345 centre at city level only');
});

test('every division down to community has a schematic cell, and each level tiles its parent', () => {
  for (const division of city.divisions.filter((d) => d.level !== 'province')) {
    const cell = cellOf.get(division.code12);
    assert.ok(cell, `${division.code12} has a cell`);
    assert.equal(cell.level, division.level);
    assert.equal(cell.schematic, true);
  }
  assert.equal(city.divisionGeometry.length, city.divisions.length - 1);
  for (const parent of city.divisions.filter((d) => d.level !== 'province')) {
    const children = city.divisions.filter((d) => d.parentCode12 === parent.code12);
    if (children.length === 0) continue;
    const cell = (code12: string) => cellOf.get(code12)!.geometry;
    assertTiles(cell(parent.code12), children.map((child) => cell(child.code12)), parent.name);
  }
});

test('borders wind like real ones: no cell is a rectangle', () => {
  for (const { divisionCode12, geometry } of [...city.divisionGeometry, ...city.grids.map((g) => ({ divisionCode12: g.code, geometry: g.geometry }))]) {
    const ring = ringOf(geometry);
    assert.ok(ring.length > 8, `${divisionCode12} has more than four corners`);
    assert.ok(new Set(ring.map(([lon]) => lon)).size > 4 && new Set(ring.map(([, lat]) => lat)).size > 4, `${divisionCode12} is not axis-aligned`);
  }
});

test('grids tile their township and, all together, the city', () => {
  assertTiles(cellOf.get(ofLevel('city')[0].code12)!.geometry, city.grids.map((g) => g.geometry), 'city');
  assert.equal(new Set(city.grids.map((g) => g.code)).size, city.grids.length, 'grid codes unique');
  for (const township of ofLevel('township')) {
    const grids = city.grids.filter((grid) => township9(grid.divisionCode12) === township9(township.code12));
    const villages = city.divisions.filter((d) => d.parentCode12 === township.code12);
    if (villages.length === 0) {
      assert.ok(grids.length >= 2 && grids.length <= 6, `${township.name}: ${grids.length} grids`);
      grids.forEach((grid, index) => {
        assert.equal(grid.divisionCode12, township.code12);
        assert.equal(grid.name, `${township.name}第${index + 1}网格`);
        assert.equal(grid.code, `${township.code12}-G${String(index + 1).padStart(2, '0')}`);
      });
    } else {
      assert.deepEqual(grids.map((g) => g.divisionCode12), villages.map((v) => v.code12), 'one grid per community');
    }
    assertTiles(cellOf.get(township.code12)!.geometry, grids.map((g) => g.geometry), township.name);
  }
  assert.ok(city.grids.every((grid) => grid.schematic === true));
});

test('point-in-polygon routes the middle of every grid to its township and nowhere else', () => {
  const townshipCells: DivisionCell[] = city.divisionGeometry.filter((cell) => cell.level === 'township');
  for (const grid of city.grids) {
    const centre = point(middleOf(grid.geometry));
    const hits = townshipCells.filter((cell) => booleanPointInPolygon(centre, cell.geometry));
    assert.deepEqual(hits.map((cell) => township9(cell.divisionCode12)), [township9(grid.divisionCode12)], grid.code);
  }
});

test('staff: the fixed demo logins, plus two per department with valid roles and real surnames', () => {
  const byUsername = new Map(city.staff.map((member) => [member.username, member]));
  assert.equal(byUsername.size, city.staff.length, 'usernames unique');
  for (const [username, departmentCode, roles] of [
    ['admin', '511600-ZS', ['platform_admin']],
    ['ga_admin', '511602-ZS', ['dept_admin']],
    ['ga_officer', '511602-MZ', ['officer']],
    ['yc_officer', '511621-MZ', ['officer']],
    ['data_officer', '511600-ZS', ['data_officer']],
    ['inspector', '511600-JW', ['inspector']],
    ['supervisor', '511600-ZS', ['inspector']],
    ['hotline', '511600-RX', ['officer']],
  ] as const) {
    const member = byUsername.get(username);
    assert.ok(member, username);
    assert.equal(member.departmentCode, departmentCode, username);
    assert.deepEqual(member.roles, roles, username);
  }
  const surnames = readFileSync(new URL('../../src/kernel/demo/data/surnames.csv', import.meta.url), 'utf8')
    .split(/\r?\n/).slice(1).filter(Boolean).map((line) => line.split(',')[0]);
  const departmentCodes = new Set(city.departments.map((d) => d.code));
  for (const member of city.staff) {
    assert.ok(departmentCodes.has(member.departmentCode), member.username);
    assert.ok(member.roles.every((role) => (ROLES as readonly string[]).includes(role)), member.username);
    assert.match(member.displayName, /^\p{Script=Han}{2,4}$/u);
    assert.ok(surnames.some((surname) => member.displayName.startsWith(surname)), member.displayName);
  }
  for (const department of city.departments) {
    const generated = city.staff.filter((m) => m.departmentCode === department.code && /_\d{6}_\d$/.test(m.username));
    assert.equal(generated.length, 2, department.name);
    assert.ok(generated.every((m) => m.roles.length === 1 && ['officer', 'data_officer'].includes(m.roles[0])));
  }
  assert.equal(city.staff.length, 8 + 2 * city.departments.length);
});

test('the same seed builds the same city; another seed changes only what is generated', () => {
  assert.equal(JSON.stringify(generateCity('test-seed')), JSON.stringify(city));
  const other = generateCity('another-seed');
  const real = (c: typeof city) => c.divisions.filter((d) => !d.generated);
  assert.deepEqual(real(other), real(city));
  assert.deepEqual(other.departments, city.departments);
  assert.notDeepEqual(other.divisions.filter((d) => d.generated), city.divisions.filter((d) => d.generated));
  assert.notDeepEqual(other.grids.map((g) => g.geometry), city.grids.map((g) => g.geometry));
  assert.notDeepEqual(other.staff.map((m) => m.displayName), city.staff.map((m) => m.displayName));
  assert.deepEqual(other.staff.map((m) => m.username), city.staff.map((m) => m.username), 'logins do not depend on the seed');
});
