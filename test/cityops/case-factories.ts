import { makeDepartment, makeStaff } from '../helpers/factories.ts';
import { cityopsAppPerFile, inGa, type CityopsApp } from './factories.ts';
import { prepareCaseKinds } from '../../src/cityops/case-kinds.ts';
import { prepareHotlineCategories } from '../../src/cityops/hotline-link.ts';

/** A 1×1 PNG, base64. */
export const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
export const photo = [{ data: png }];
export const nearGa = { lon: inGa.lon + 0.0005, lat: inGa.lat };

export interface CasesApp extends CityopsApp {
  desks: { supervision: number; command: number; patrol: number };
  users: Record<string, number>;
}

/**
 * The components test app plus the desks of city operations: 监督中心 (jiandu), 指挥中心 (zhihui), a 广安区 信息采集中心
 * (caiji, caiji2), and officers of the units (ga_cg of 广安区综合执法局, yc_cg of 岳池县综合执法局); then `setup`.
 */
export function casesAppPerFile(setup?: (t: CasesApp) => Promise<void>): CasesApp {
  return cityopsAppPerFile(async (app) => {
    const t = app as CasesApp;
    await prepareCaseKinds(t.db);
    await prepareHotlineCategories(t.db);
    t.desks = {
      supervision: await makeDepartment(t.db, { name: '市城市管理监督中心', divisionCode: '511600000000', kind: 'city-supervision' }),
      command: await makeDepartment(t.db, { name: '市城市管理指挥中心', divisionCode: '511600000000', kind: 'city-command' }),
      patrol: await makeDepartment(t.db, { name: '广安区信息采集中心', divisionCode: '511602000000', kind: 'city-patrol' }),
    };
    const staff = async (username: string, departmentId: number) => Number(await makeStaff(t.db, { username, roles: ['officer'], departmentId }));
    t.users = {
      jiandu: await staff('jiandu', t.desks.supervision),
      zhihui: await staff('zhihui', t.desks.command),
      caiji: await staff('caiji', t.desks.patrol),
      caiji2: await staff('caiji2', t.desks.patrol),
      ga_cg: await staff('ga_cg', t.departments.gaUrban),
      yc_cg: await staff('yc_cg', t.departments.ycUrban),
    };
    for (const user of [...Object.keys(t.users), 'inspector']) t.cookies[user] = await t.login(user);
    await setup?.(t);
  }) as CasesApp;
}
