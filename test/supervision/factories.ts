import { after, before } from 'node:test';
import type { Actor } from '../../src/kernel/auth/index.ts';
import type { Db, Queryable } from '../../src/kernel/db/index.ts';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { makeDivisions } from '../helpers/factories.ts';
import { memberOf } from '../hotline/factories.ts';

export { ledgerCount, refusal, run } from '../kernel/org/factories.ts';

/** A 1×1 PNG as evidence. */
export const png = { name: '现场照片.png', contentType: 'image/png' as const,
  data: 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==' };

async function department(db: Queryable, code: string, name: string, kind: string, divisionCode: string): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    'INSERT INTO departments (code, name, kind, division_code) VALUES ($1, $2, $3, $4) RETURNING id::int', [code, name, kind, divisionCode]);
  return rows[0]!.id;
}

/**
 * 广安市 with its 督查室 (leader), 广安区民政局 (officer) and 岳池县民政局 (yc officer), and an inspector of the 纪委
 * who oversees but is not the office.
 */
export async function makeSupervisionCity(db: Db) {
  await makeDivisions(db);
  const office = await department(db, 'DC-5116', '市政府督查室', 'supervision', '511600000000');
  const gaCivil = await department(db, 'MZ-511602', '广安区民政局', 'civil-affairs', '511602000000');
  const ycCivil = await department(db, 'MZ-511621', '岳池县民政局', 'civil-affairs', '511621000000');
  const discipline = await department(db, 'JW-5116', '市纪委监委', 'discipline-inspection', '511600000000');
  const { rows: lists } = await db.query<{ id: number; code: string }>('SELECT id, code FROM supervision_lists');
  return {
    office, gaCivil, ycCivil,
    lists: Object.fromEntries(lists.map((l) => [l.code, l.id])) as Record<string, number>,
    actors: {
      leader: { ...memberOf(office, ['inspector'], '511600000000', 'leader'), name: '陈立群' } as Actor,
      officer: { ...memberOf(gaCivil, ['officer'], '511602000000', 'officer'), name: '李明' } as Actor,
      colleague: memberOf(gaCivil, ['officer'], '511602000000', 'colleague'),
      ycOfficer: memberOf(ycCivil, ['officer'], '511621000000', 'yc'),
      inspector: memberOf(discipline, ['inspector'], '511600000000', 'inspector'),
    },
  };
}

export function supervisionCityPerFile(): { readonly db: Db; readonly city: Awaited<ReturnType<typeof makeSupervisionCity>> } {
  let testDb: TestDb | undefined;
  let city: Awaited<ReturnType<typeof makeSupervisionCity>> | undefined;
  before(async () => {
    testDb = await createTestDb();
    city = await makeSupervisionCity(testDb.db);
  });
  after(() => testDb?.drop());
  return { get db() { return testDb!.db; }, get city() { return city!; } };
}
