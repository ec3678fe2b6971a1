// The sensors page in a real browser: a 广安区 officer sees the demo city's devices with their state, last seen
// and latest reading, narrows them to offline water-level devices, and reads the events the rules raised.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { demoPassword } from '../../src/demo.ts';
import { browserSuite } from './browser.ts';

const suite = browserSuite('cityops-sensors');
const { shot, sees, step, openPage, choose } = suite;

describe('sensors', () => {
  step('an officer lists the devices of the county, then the offline water-level ones', async () => {
    const { page } = suite;
    await page.goto(`${suite.base}/`);
    await suite.login('ga_officer', demoPassword);
    await openPage('感知设备', '/cityops-sensors');
    await sees('感知设备与事件');
    const { rows } = await suite.testDb.db.query<{ all: number; offline: number }>(
      `SELECT count(*)::int AS all, count(*) FILTER (WHERE type_code = 'water_level' AND connectivity = 'offline')::int AS offline
         FROM cityops_sensor_devices WHERE division_code LIKE '511602%'`);
    assert.ok(rows[0]!.all > 0 && rows[0]!.offline > 0);
    await sees(`共 ${rows[0]!.all} 台设备`);
    await shot('sensors-devices');
    await choose('设备类型', '积水水位监测');
    await choose('在线状态', '离线');
    await sees(`共 ${rows[0]!.offline} 台设备`);
    const states = await page.locator('.ant-table-tbody tr.ant-table-row td:nth-child(3)').allInnerTexts();
    assert.deepEqual([...new Set(states)], ['离线']);
  });

  step('the events tab lists what the rules raised, with the description a case needs', async () => {
    const { page } = suite;
    await page.getByRole('tab', { name: '事件' }).click();
    await choose('事件状态', '告警中');
    const { rows } = await suite.testDb.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cityops_sensor_events e JOIN cityops_sensor_devices d ON d.id = e.device_id
        WHERE e.division_code LIKE '511602%' AND e.state = 'raised' AND d.type_code = 'water_level'`);
    await sees(`共 ${rows[0]!.n} 条事件`);
    if (rows[0]!.n > 0) await sees(/积水水位监测设备 WL-\d{4}/);
    await shot('sensors-events');
  });
});
