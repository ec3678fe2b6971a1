/**
 * The demo city's divisions: the real province, city, counties and townships shipped in
 * data/divisions-511600.json, plus generated villages and communities (村/社区) under the townships of
 * 广安区 and 前锋区 only, which keeps the demo small while still showing the fifth level.
 */
import { readFileSync } from 'node:fs';
import { shippedDivisionsFile, type DivisionRecord } from './extract-divisions.ts';
import type { Rng } from './rng.ts';

export type { DivisionLevel } from './extract-divisions.ts';

export interface Division extends DivisionRecord {
  /** false for NBS records, true for villages/communities made up by the generator. */
  generated: boolean;
}

export const COUNTIES_WITH_VILLAGES = ['511602', '511603'];

/** NBS village codes: 001–199 for residents' committees (社区), 200–399 for villagers' committees (村). */
const FIRST_COMMUNITY_SERIAL = 1;
const FIRST_VILLAGE_SERIAL = 201;

// Characters of Sichuan place names; two of them make a village or community name such as 石桥村.
const PLACE_NAME_FIRST = [...'金银石龙凤桂白青红新太永长兴双三五柏松竹梨杨马狮宝文朝锦东南西北回天九玉黄清高鹤'];
const PLACE_NAME_SECOND = [...'桥河山林泉湾坝坪塘岩溪口堰寺坡垭园星光华安丰平和福兴庙沟桠冲嘴关'];

/** The shipped real divisions, as committed (no reference data needed at run time). */
export function loadRealDivisions(): Division[] {
  const records = JSON.parse(readFileSync(shippedDivisionsFile, 'utf8')) as DivisionRecord[];
  return records.map((record) => ({ ...record, generated: false }));
}

/** 街道 are urban, so all their units are communities; towns and 乡 have a community or two at the seat. */
function communityCount(township: Division, unitCount: number, rng: Rng): number {
  return township.name.endsWith('街道') ? unitCount : Math.min(unitCount - 1, rng.int(1, 2));
}

function placeNames(count: number, rng: Rng): string[] {
  const names = new Set<string>();
  while (names.size < count) names.add(rng.pick(PLACE_NAME_FIRST) + rng.pick(PLACE_NAME_SECOND));
  return [...names];
}

/** 3–8 villages/communities under each township of the counties in COUNTIES_WITH_VILLAGES. */
export function generateVillages(realDivisions: Division[], rng: Rng): Division[] {
  const townships = realDivisions.filter(
    (division) =>
      division.level === 'township' && COUNTIES_WITH_VILLAGES.includes(division.code12.slice(0, 6)),
  );
  return townships.flatMap((township) => {
    const unitCount = rng.int(3, 8);
    const communities = communityCount(township, unitCount, rng);
    const prefix = township.code12.slice(0, 9);
    return placeNames(unitCount, rng).map((stem, index): Division => {
      const isCommunity = index < communities;
      const serial = isCommunity ? FIRST_COMMUNITY_SERIAL + index : FIRST_VILLAGE_SERIAL + index - communities;
      return {
        code12: prefix + String(serial).padStart(3, '0'),
        name: stem + (isCommunity ? '社区' : '村'),
        level: 'village',
        parentCode12: township.code12,
        generated: true,
      };
    });
  });
}
