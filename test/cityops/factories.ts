import { after, before } from 'node:test';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { prepareCatalogue } from '../../src/cityops/catalogue.ts';
import { createTestApp, makeCast, makeDepartment, makeStaff, type TestApp } from '../helpers/factories.ts';

/** A grid of 浓洄街道 (广安区) and one of a 岳池县 township, as rectangles. */
export const grids = {
  ga: { code: 'G-GA-1', divisionCode: '511602001000', box: [106.6, 30.45, 106.62, 30.47] },
  yc: { code: 'G-YC-1', divisionCode: '511621001000', box: [106.2, 30.5, 106.22, 30.52] },
} as const;
export const inGa = { lon: 106.61, lat: 30.46 };
export const inYc = { lon: 106.21, lat: 30.51 };

const rectangle = ([x1, y1, x2, y2]: readonly number[]) => ({ type: 'Polygon', coordinates: [[[x1, y1], [x2, y1], [x2, y2], [x1, y2], [x1, y1]]] });

export interface CityopsApp extends TestApp {
  cookies: Record<string, string>;
  departments: { gaUrban: number; gaWater: number; ycUrban: number };
  call(method: InjectOptions['method'], url: string, user?: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

/** One app per test file with the cast (admin, ga_admin, yc_admin, ga_officer, yc_officer), two grids and the catalogue; then `setup`. */
export function cityopsAppPerFile(setup?: (t: CityopsApp) => Promise<void>): CityopsApp {
  const t = { cookies: {} } as CityopsApp;
  before(async () => {
    Object.assign(t, await createTestApp());
    const cast = await makeCast(t.db);
    await t.db.query(`INSERT INTO divisions (code, name, level, parent_code) VALUES ('511621001000', '九龙街道', 'township', '511621000000')`);
    for (const grid of Object.values(grids))
      await t.db.query('INSERT INTO grids (code, name, division_code, geometry) VALUES ($1, $2, $3, $4)',
        [grid.code, `${grid.code}网格`, grid.divisionCode, JSON.stringify(rectangle(grid.box))]);
    await prepareCatalogue(t.db);
    t.departments = {
      gaUrban: await makeDepartment(t.db, { name: '广安区综合执法局', divisionCode: '511602000000', kind: 'urban-management' }),
      gaWater: await makeDepartment(t.db, { name: '广安区水务局', divisionCode: '511602000000', kind: 'water' }),
      ycUrban: await makeDepartment(t.db, { name: '岳池县综合执法局', divisionCode: '511621000000', kind: 'urban-management' }),
    };
    await makeStaff(t.db, { username: 'yc_admin', roles: ['dept_admin'], departmentId: cast.ycDept });
    for (const user of ['admin', 'ga_admin', 'yc_admin', 'ga_officer', 'yc_officer']) t.cookies[user] = await t.login(user);
    t.call = (method, url, user, body, headers = {}) => t.app.inject({
      method, url: `/api/v1/cityops${url}`, headers: { ...(user ? { cookie: t.cookies[user]! } : {}), ...headers },
      ...(body === undefined ? {} : typeof body === 'string' ? { payload: body } : { payload: body as object }),
    });
    await setup?.(t);
  });
  after(() => t.close());
  return t;
}
