// A unit's handling worker on a phone (390 px, position set by the test): today's tasks on the map and in the
// list; a check-in refused outside the task's fence with the distance, accepted on site; then without network
// (context.setOffline) a check-in and a reply with photos wait in the phone's queue and are sent, with the
// time they were made, once the network is back.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite, phone } from './browser.ts';

const suite = browserSuite('cityops-field');
const { shot, sees, step } = suite;
const png = { name: 'photo.png', mimeType: 'image/png',
  buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64') };
type Task = { id: number; code: string; lon: number; lat: number };
let tasks: Task[] = [];

const at = (task: Task, eastMetres = 0) => suite.page.context().setGeolocation({ longitude: task.lon + eastMetres / 96_000, latitude: task.lat, accuracy: 10 });
const card = (task: Task) => suite.page.getByTestId(`field-task-${task.id}`);

describe('现场任务 on the phone', () => {
  step('the handling worker sees today\'s two tasks on the map and in the list', async () => {
    const { page } = suite;
    ({ rows: tasks } = await suite.testDb.db.query<Task>(
      `SELECT c.id::int, c.code, c.lon, c.lat FROM cityops_cases c JOIN users u ON u.id = c.worker_user_id
        WHERE u.username = 'ga_cgry' AND c.state = 'handling' ORDER BY (c.urgency = 'urgent') DESC, c.handle_due_at, c.id`));
    assert.equal(tasks.length, 2);
    await page.context().grantPermissions(['geolocation'], { origin: suite.base });
    await at(tasks[0]!, 1000);
    await page.setViewportSize(phone);
    await suite.loginAt('/cityops-field', 'ga_cgry');
    await sees('今日任务（2）');
    await card(tasks[0]!).waitFor();
    await card(tasks[1]!).waitFor();
    await page.getByTestId('field-map').locator('canvas').waitFor();
    await page.waitForTimeout(1500); // the map's tiles of boundaries
    await shot('field-tasks');
  });

  step('a check-in a kilometre away is refused with the distance; on site it is accepted', async () => {
    const { page } = suite;
    const first = card(tasks[0]!);
    await first.locator('input[type=file]').setInputFiles(png);
    await first.getByRole('button', { name: '到场签到' }).click();
    await sees(/不在签到范围内：距任务 \d{3,4} 米，签到范围 210 米/);
    const shown = await page.getByText(/不在签到范围内/).first().innerText();
    const distance = Number(shown.match(/距任务 (\d+) 米/)![1]);
    assert.ok(distance > 950 && distance < 1100, shown);
    const none = await suite.testDb.db.query('SELECT 1 FROM cityops_field_checkins WHERE case_id = $1', [tasks[0]!.id]);
    assert.equal(none.rowCount, 0, 'nothing written');
    await shot('field-refused');
    await at(tasks[0]!, 30);
    await first.getByRole('button', { name: '到场签到' }).click();
    await first.getByTestId('checked-in').getByText(/已签到 \d{1,2}:\d{2}:\d{2} · 距任务 \d{1,2} 米/).waitFor();
    await first.getByLabel('处置情况').waitFor();
  });

  step('offline: a check-in and a reply with photos wait on the phone; back online they are sent with the time they were made', async () => {
    const { page } = suite;
    const second = card(tasks[1]!);
    await at(tasks[1]!);
    await page.context().setOffline(true);
    await page.getByTestId('network').getByText('离线').waitFor();
    const madeAt = Date.now();
    await second.locator('input[type=file]').setInputFiles(png);
    await second.getByRole('button', { name: '到场签到' }).click();
    await second.getByText(/签到已记录于 .*，待同步/).waitFor();
    await second.getByLabel('处置情况').fill('占道摊点已劝离，现场已清理');
    await second.locator('input[type=file]').setInputFiles(png);
    await second.getByRole('button', { name: '处置反馈' }).click();
    await second.getByText(/处置反馈已记录于 .*，待同步/).waitFor();
    await page.getByTestId('queued').getByText('待同步 2 条').waitFor();
    assert.equal((await suite.testDb.db.query('SELECT 1 FROM cityops_field_checkins WHERE case_id = $1', [tasks[1]!.id])).rowCount, 0, 'nothing sent yet');
    await shot('field-offline-queued');

    await page.waitForTimeout(2000);
    await page.context().setOffline(false);
    await page.getByTestId('network').getByText('在线').waitFor();
    await page.getByTestId('queued').getByText('待同步 0 条').waitFor();
    const synced = page.getByTestId('synced');
    await synced.getByText(`到场签到 · ${tasks[1]!.code}`, { exact: false }).waitFor();
    await synced.getByText(`处置反馈 · ${tasks[1]!.code}`, { exact: false }).waitFor();
    await second.waitFor({ state: 'detached' });
    await shot('field-synced');
    const { rows: [kept] } = await suite.testDb.db.query<{ recordedAt: Date; receivedAt: Date; distance: number }>(
      `SELECT recorded_at AS "recordedAt", received_at AS "receivedAt", distance_m AS distance FROM cityops_field_checkins WHERE case_id = $1`, [tasks[1]!.id]);
    assert.ok(kept!.recordedAt.getTime() >= madeAt - 1000 && kept!.recordedAt.getTime() < kept!.receivedAt.getTime() - 1500,
      `made offline at ${kept!.recordedAt.toISOString()}, received ${kept!.receivedAt.toISOString()}`);
    await synced.getByText(`记录于 ${kept!.recordedAt.toLocaleTimeString('zh-CN', { hour12: false })}`, { exact: false }).first().waitFor();
    assert.equal(kept!.distance, 0);
    const { rows: [moved] } = await suite.testDb.db.query('SELECT state, reply FROM cityops_cases WHERE id = $1', [tasks[1]!.id]);
    assert.deepEqual([moved.state, moved.reply], ['checking', '占道摊点已劝离，现场已清理']);
  });
});
