// The 12345 hotline pages in a real browser: a call taken at the intake desk with the live suggestion,
// dispatched, accepted and replied by the department, called back by the centre and counted in the metrics.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Locator } from 'playwright-core';
import { demoPassword } from '../../src/demo.ts';
import { browserSuite, phone, wide } from './browser.ts';

const suite = browserSuite('hotline');
const { shot, sees, step, openPage } = suite;

/** Longitude and latitude to a pixel of a map fitted (padding 16) to `bounds`, in Web Mercator as MapLibre draws it. */
function pixelOf(lon: number, lat: number, bounds: [[number, number], [number, number]], width: number, height: number) {
  const x = (l: number) => (l + 180) / 360;
  const y = (p: number) => (1 - Math.log(Math.tan(Math.PI / 4 + (p * Math.PI) / 360)) / Math.PI) / 2;
  const [[west, south], [east, north]] = bounds;
  const scale = Math.min((width - 32) / (x(east) - x(west)), (height - 32) / (y(south) - y(north)));
  return { x: width / 2 + (x(lon) - (x(west) + x(east)) / 2) * scale, y: height / 2 + (y(lat) - (y(north) + y(south)) / 2) * scale };
}

/** Clicks a map at a place once it has drawn its polygons. */
async function clickMapAt(map: Locator, lon: number, lat: number): Promise<void> {
  await map.locator('canvas').waitFor();
  await suite.page.waitForFunction((el) => el?.hasAttribute('data-bounds'), await map.elementHandle());
  const bounds = JSON.parse((await map.getAttribute('data-bounds'))!) as [[number, number], [number, number]];
  const box = (await map.boundingBox())!;
  await map.click({ position: pixelOf(lon, lat, bounds, box.width, box.height) });
}

/** The middle of the largest grid under a division, a point every locator places in that division. */
async function middleOfGridIn(divisionPrefix: string): Promise<{ lon: number; lat: number }> {
  const { rows } = await suite.testDb.db.query<{ geometry: { coordinates: number[][][] } }>(
    `SELECT geometry FROM grids WHERE division_code LIKE $1 || '%'`, [divisionPrefix]);
  const boxes = rows.map(({ geometry }) => {
    const ring = geometry.coordinates[0]!;
    const xs = ring.map((p) => p[0]!);
    const ys = ring.map((p) => p[1]!);
    return { w: Math.min(...xs), e: Math.max(...xs), s: Math.min(...ys), n: Math.max(...ys) };
  }).sort((a, b) => (b.e - b.w) * (b.n - b.s) - (a.e - a.w) * (a.n - a.s));
  const largest = boxes[0]!;
  return { lon: (largest.w + largest.e) / 2, lat: (largest.s + largest.n) / 2 };
}

/** Has the map drawn the city (many colours in a picture of it, not one flat background)? */
async function mapHasDrawn(map: Locator): Promise<boolean> {
  // WebGL does not keep its drawing buffer to be read back, so the map's picture is taken as the user sees it.
  const picture = (await map.screenshot()).toString('base64');
  const colours = await suite.page.evaluate(async (png) => {
    const image = new Image();
    image.src = `data:image/png;base64,${png}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    const context = canvas.getContext('2d')!;
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < pixels.length; i += 4 * 31) seen.add((pixels[i]! << 16) | (pixels[i + 1]! << 8) | pixels[i + 2]!);
    return seen.size;
  }, picture);
  return colours >= 4;
}

/** Calls the API as a demo user, through its own session. */
async function apiAs(username: string) {
  const login = await fetch(`${suite.base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: demoPassword }) });
  assert.equal(login.status, 200);
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${suite.base}/api/v1${path}`, { method, headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined });
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
    return response.json() as Promise<T>;
  };
}

const description = '广安区建设路小区门口的垃圾堆了三天没人清运，臭气熏天，请尽快处理';
let number = '';

describe('12345 hotline pages', () => {
  step('the centre operator takes a call: the suggestion appears while typing, the map click sets the place', async () => {
    const place = await middleOfGridIn('511602');
    await suite.page.goto(`${suite.base}/`);
    await suite.login('hotline', demoPassword);
    await openPage('12345 受理台', '/hotline-intake');
    const form = suite.page.locator('.ant-card', { hasText: '受理诉求' });
    await form.getByLabel('来电人').fill('张三');
    await form.getByLabel('联系电话').fill('13812345678');
    // An emergency is recognised as it is typed and the operator is told where to transfer it.
    await form.getByLabel('诉求内容').fill('楼下饭店着火了，浓烟很大');
    await suite.page.getByTestId('emergency').getByText(/请立即转接 119/).waitFor();
    await shot('00-intake-emergency');
    await form.getByLabel('诉求内容').fill(description);
    await suite.page.getByTestId('emergency').waitFor({ state: 'detached' });
    const suggestion = suite.page.getByTestId('suggestion');
    await suggestion.getByText(/城乡建设与管理/).first().waitFor();
    assert.match(await suggestion.innerText(), /\d+%/, 'the suggestion shows its confidence');
    // The suggestion filled the category field; the operator keeps it.
    await form.locator('.ant-form-item', { hasText: '诉求分类' }).locator('.ant-select').getByText(/城乡建设与管理/).waitFor();

    const map = suite.page.getByTestId('intake-map');
    await clickMapAt(map, place.lon, place.lat);
    const picked = /(106\.\d+), (30\.\d+)/.exec(await suite.page.getByTestId('picked-point').innerText())!;
    // Someone reported the same rubbish at that very place a moment ago: a second click shows it as a duplicate.
    const call = await apiAs('hotline');
    const categories = await call<{ items: { code: string; name: string }[] }>('GET', '/hotline/categories');
    const earlier = await call<{ number: string }>('POST', '/hotline/tickets', { channel: 'wechat', kind: 'complaint',
      categoryCode: categories.items.find((c) => c.name === '垃圾清运')!.code, description: '建设路垃圾没人收',
      lon: Number(picked[1]), lat: Number(picked[2]), anonymous: true });
    await clickMapAt(map, place.lon, place.lat);
    await suite.page.getByTestId('duplicates').getByText(earlier.number).waitFor();
    assert.equal(await map.locator('.maplibregl-marker').count(), 2, 'the picked point and the duplicate are on the map');
    // The point, and the grid it falls in, named before the ticket is filed.
    await suite.page.getByTestId('picked-point').getByText(/已选位置：106\.\d+, 30\.\d+ · .+网格/).waitFor();
    assert.ok(await mapHasDrawn(map), 'the map drew the city');
    await form.getByLabel('地址').fill('广安区建设路 12 号');
    await shot('01-intake-suggestion');

    await form.getByRole('button', { name: '提交受理' }).click();
    const result = suite.page.getByTestId('intake-result');
    await result.getByText('受理结果').waitFor();
    number = (await result.locator('.ant-descriptions-item', { hasText: '工单编号' }).locator('.ant-typography strong').innerText()).trim();
    assert.match(number, /^\d{14}$/);
    await result.getByText('答复时限').waitFor();
    await suite.page.getByTestId('duplicates').getByRole('button', { name: '并入此单' }).waitFor();
    await shot('02-intake-filed');
  });

  step('the operator dispatches the ticket to 广安区民政局 with a co-handling department, and the ticket page shows both', async () => {
    const result = suite.page.getByTestId('intake-result');
    await suite.pickOption(result, '承办部门', '广安区民政局');
    await suite.pickOption(result, '协办部门', '广安区城市管理综合执法局');
    await suite.page.keyboard.press('Escape');
    await result.getByRole('button', { name: /派\s*单/ }).click();
    await suite.page.waitForURL(/\/hotline-queue\/\d+$/);
    await suite.page.getByTestId('ticket-number').getByText(number).waitFor();
    await sees('已派单');
    const timeline = suite.page.getByTestId('timeline');
    await timeline.getByText('受理', { exact: true }).waitFor();
    await timeline.getByText('派单', { exact: true }).waitFor();
    // The intake operator sees the caller in full, and is told the view is in the ledger.
    await suite.page.getByTestId('caller').getByText('张三 · 13812345678').waitFor();
    await sees('此次查看已记入账本');
    // 协办: the co-handling department is listed, its opinion still to come.
    const coHandlers = suite.page.locator('.ant-card', { hasText: '协办部门' });
    await coHandlers.getByText('广安区城市管理综合执法局').waitFor();
    await coHandlers.getByText('待答复').waitFor();
    await shot('03-ticket-dispatched');
    // A resolve deadline in December waits on the next year's holiday arrangement: tagged, and the tag says why.
    const db = suite.testDb.db;
    const { rows: [kept] } = await db.query<{ resolve_due: Date; deadline_provisional: boolean }>(
      'SELECT resolve_due, deadline_provisional FROM hotline_tickets WHERE number = $1', [number]);
    await db.query(`UPDATE hotline_tickets SET resolve_due = '2026-12-15 23:59:59.999+08', deadline_provisional = true WHERE number = $1`, [number]);
    await suite.page.reload();
    await suite.page.getByTestId('deadline-provisional').hover();
    await suite.page.getByRole('tooltip').getByText(/2027 年节假日安排尚未公布/).waitFor();
    await db.query('UPDATE hotline_tickets SET resolve_due = $2, deadline_provisional = $3 WHERE number = $1', [number, kept!.resolve_due, kept!.deadline_provisional]);
    await suite.logout();
  });

  step('the department officer finds it in the queue with a countdown, accepts and replies', async () => {
    await suite.login('ga_officer', demoPassword);
    await openPage('工单队列', '/hotline-queue');
    const row = suite.page.locator('.ant-table-tbody tr', { hasText: number });
    await row.waitFor();
    await row.getByTestId('countdown').getByText(/签收时限 · 剩余/).waitFor();
    assert.match(await row.getByTestId('countdown').getAttribute('class') ?? '', /green|orange/);
    await shot('04-queue-department');
    await row.click();
    await suite.page.getByTestId('ticket-number').getByText(number).waitFor();
    const actions = suite.page.getByTestId('ticket-actions');
    await actions.getByRole('button', { name: /签\s*收/ }).click();
    await sees('已签收');
    // Replying with nothing is refused by the API, and the message sits under the field.
    await actions.getByTestId('reply-form').getByRole('button', { name: /答\s*复/ }).click();
    await actions.getByTestId('reply-form').locator('.ant-form-item-explain-error').first().waitFor();
    await actions.getByLabel('答复内容').fill('已安排环卫人员清运，现场已清理干净。');
    await actions.getByTestId('reply-form').getByRole('button', { name: /答\s*复/ }).click();
    await suite.page.getByTestId('timeline').getByText('答复', { exact: true }).waitFor();
    await sees('已答复');
    await shot('05-ticket-replied');
    await suite.logout();
  });

  step('the centre closes and calls back: resolved and satisfied', async () => {
    await suite.login('hotline', demoPassword);
    await openPage('回访', '/hotline-callback');
    await suite.page.getByRole('tab', { name: /待办结/ }).click();
    const toClose = suite.page.locator('.ant-tabs-content-active .ant-table-tbody tr', { hasText: number });
    await toClose.getByRole('button', { name: /办\s*结/ }).click();
    await (await suite.dialog()).getByRole('button', { name: /办\s*结/ }).click();
    // Closing cannot be taken back: a confirmation says so before anything is sent.
    await suite.page.locator('.ant-modal-confirm').getByRole('button', { name: /办\s*结/ }).click();
    await toClose.waitFor({ state: 'detached' });
    await suite.page.getByRole('tab', { name: /待回访/ }).click();
    const toCall = suite.page.locator('.ant-tabs-content-active .ant-table-tbody tr', { hasText: number });
    await toCall.getByRole('button', { name: /回\s*访/ }).click();
    const modal = await suite.dialog();
    await modal.getByText('满意', { exact: true }).click();
    await shot('06-callback');
    await modal.getByRole('button', { name: /回\s*访/ }).click();
    await modal.waitFor({ state: 'hidden' });
    await toCall.waitFor({ state: 'detached' });

    await suite.page.goto(`${suite.base}/hotline-queue`);
    await suite.page.getByPlaceholder('编号、内容或地址').fill(number);
    await suite.page.getByPlaceholder('编号、内容或地址').press('Enter');
    // The status filter is a multi-select: a click on its option during the dropdown's opening animation can miss,
    // and a second click on a taken option would drop it again, so the option is clicked only while not yet shown.
    const status = suite.page.locator('.ant-select', { has: suite.page.getByLabel('状态') });
    const closed = status.getByText('已办结', { exact: true });
    for (let attempt = 1; !(await closed.isVisible()); attempt++) {
      assert.ok(attempt <= 3, 'the status filter never took 已办结');
      await suite.page.getByLabel('状态').click();
      await suite.page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '已办结' }).click();
      // Not shown in time: the loop's check tries again, and fails the step after the third try.
      await closed.waitFor({ timeout: 3000 }).catch(() => undefined);
    }
    await suite.page.keyboard.press('Escape');
    await suite.page.locator('.ant-table-tbody tr', { hasText: number }).click();
    const timeline = suite.page.getByTestId('timeline');
    for (const step of ['受理', '派单', '签收', '答复', '办结', '回访']) await timeline.getByText(step, { exact: true }).waitFor();
    await sees('已解决 · 满意');
    await shot('07-ticket-closed');
  });

  step('the metrics page counts the tickets of the last 90 days, draws the rates and colours this week\'s hotspots', async () => {
    await openPage('统计分析', '/hotline-metrics');
    await suite.page.getByTestId('chart-by-group').locator('canvas').waitFor();
    await suite.page.getByTestId('chart-by-month').locator('canvas').waitFor();
    const { rows: [counted] } = await suite.testDb.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM hotline_tickets WHERE state <> 'merged'
         AND received_at >= (((now() AT TIME ZONE 'Asia/Shanghai')::date - 89)::timestamp AT TIME ZONE 'Asia/Shanghai')`);
    const total = suite.page.getByTestId('metrics-total').locator('.ant-statistic-content-value');
    await suite.page.waitForFunction(([el, n]) => (el as HTMLElement).innerText.replace(/\D/g, '') === String(n),
      [await total.elementHandle(), counted!.n] as const);
    assert.ok(counted!.n > 100, `the demo tickets and this one are counted (${counted!.n})`);
    const ranking = suite.page.getByTestId('ranking');
    await ranking.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
    // Best first: the first row is ranked 1 and the ranks only grow down the page (equal scores share a rank).
    const ranks = (await ranking.locator('.ant-table-tbody tr.ant-table-row td:first-child').allInnerTexts()).map(Number);
    assert.equal(ranks[0], 1);
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), `ranks on the first page: ${ranks.join(', ')}`);
    // The department that handled this call is ranked on one of the ranking's pages.
    const own = ranking.locator('.ant-table-tbody tr.ant-table-row', { hasText: '广安区民政局' });
    // antd puts the data-testid on the table itself and its pager beside it, in the card.
    const next = suite.page.locator('.ant-card', { has: ranking }).locator('li.ant-pagination-next:not(.ant-pagination-disabled)');
    while (!(await own.first().isVisible()) && await next.count() > 0) await next.click();
    assert.match(await own.first().locator('td').first().innerText(), /^\d+$/);
    const map = suite.page.getByTestId('hotspot-map');
    await map.scrollIntoViewIfNeeded();
    await suite.page.waitForFunction((el) => el?.hasAttribute('data-bounds'), await map.elementHandle());
    assert.ok(await mapHasDrawn(map), 'the hotspot map drew the townships');
    await shot('08-metrics');
  });

  step('in English the queue, its filters and the countdowns are translated', async () => {
    await suite.page.locator('.console-header').getByText('English').click();
    await openPage('Ticket queue', '/hotline-queue');
    await suite.page.getByText('Overdue only').waitFor();
    await suite.page.locator('.ant-table-tbody tr.ant-table-row').first().getByTestId('countdown').getByText(/(left|overdue by)/).waitFor();
    await shot('09-queue-en');
    await openPage('12345 intake', '/hotline-intake');
    await suite.page.getByLabel('Description').fill('The street light outside my building has been broken for a week');
    await suite.page.getByTestId('suggestion').getByText('Suggested:').waitFor();
    await shot('09-intake-en');
    await suite.page.locator('.console-header').getByText('中文').click();
    await suite.logout();
  });

  let filed = '';
  step('a citizen on a phone reports a problem with a photo and a point on the map, and gets a number and a status link', async () => {
    await suite.page.setViewportSize(phone);
    await suite.login('citizen1', demoPassword);
    await openPage('我的诉求', '/hotline-mine');
    await suite.page.getByRole('button', { name: '我要反映' }).click();
    await suite.page.waitForURL('**/report');
    await sees('向 12345 反映问题，无需登录');
    await suite.page.getByLabel('遇到了什么问题').fill('小区门口的垃圾桶满了好几天没人清运，气味很大');
    // The public suggestion is offered while typing; the citizen accepts it, may clear it, and accepts again.
    const suggestion = suite.page.getByTestId('report-suggestion');
    const suggested = (await suggestion.locator('.ant-tag').first().innerText()).trim();
    assert.match(suggested, /垃圾/);
    await suggestion.getByRole('button', { name: /采\s*用/ }).click();
    await suggestion.getByText('已采用').waitFor();
    const categoryField = suite.page.locator('.ant-form-item', { has: suite.page.getByLabel('诉求分类', { exact: true }) });
    await categoryField.getByText(suggested, { exact: true }).waitFor();
    await categoryField.hover();
    await categoryField.locator('.ant-select-clear').click();
    await suggestion.getByRole('button', { name: /采\s*用/ }).click();
    await categoryField.getByText(suggested, { exact: true }).waitFor();
    const map = suite.page.getByTestId('report-map');
    const place = await middleOfGridIn('511602');
    await clickMapAt(map, place.lon, place.lat);
    await sees(/已选位置：106\.\d+, 30\.\d+/);
    assert.ok(await mapHasDrawn(map), 'the map drew the city on a phone');
    // Someone phoned in the same problem at that spot this morning: picking it again names that report nearby.
    const picked = /(106\.\d+), (30\.\d+)/.exec(await suite.page.getByText(/已选位置：/).innerText())!;
    const call = await apiAs('hotline');
    const categories = await call<{ items: { code: string; name: string }[] }>('GET', '/hotline/categories');
    await call('POST', '/hotline/tickets', { channel: 'phone', kind: 'complaint', description: '小区门口垃圾桶满了没人收',
      categoryCode: categories.items.find((c) => suggested.endsWith(c.name))!.code, lon: Number(picked[1]), lat: Number(picked[2]), anonymous: true });
    await clickMapAt(map, place.lon, place.lat);
    const png = await suite.page.evaluate(() => {
      const canvas = document.createElement('canvas');
      canvas.width = 40;
      canvas.height = 30;
      const context = canvas.getContext('2d')!;
      context.fillStyle = '#2f7d32';
      context.fillRect(0, 0, 40, 30);
      return canvas.toDataURL('image/png').split(',')[1]!;
    });
    await suite.page.locator('input[type=file]').setInputFiles({ name: 'rubbish.png', mimeType: 'image/png', buffer: Buffer.from(png, 'base64') });
    await suite.page.locator('.ant-upload-list-item-done, .ant-upload-list-item:not(.ant-upload-list-item-uploading)').first().waitFor();
    await suite.page.getByLabel('您的称呼').fill('李四');
    await suite.page.getByLabel('手机号码').fill('13900001111');
    const width = await suite.page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the report page fits a phone (${width}px)`);
    // The same problem nearby is named by number, distance and date: the public never sees its text.
    const nearby = await suite.page.getByTestId('nearby').innerText();
    assert.match(nearby, /\d{14}（相距 \d+ 米，\d{4}-\d{2}-\d{2} 反映）/);
    assert.doesNotMatch(nearby, /undefined/);
    await shot('10-phone-report');
    await suite.page.getByRole('button', { name: /提\s*交/ }).click();
    await suite.page.getByTestId('report-filed').waitFor();
    filed = (await suite.page.getByTestId('report-number').innerText()).trim();
    assert.match(filed, /^\d{14}$/);
    const { rows: [row] } = await suite.testDb.db.query<{ photos: number; lon: number }>(
      `SELECT (SELECT count(*)::int FROM hotline_photos p WHERE p.ticket_id = t.id) AS photos, t.lon FROM hotline_tickets t WHERE number = $1`, [filed]);
    assert.equal(row!.photos, 1, 'the photo is attached to the ticket');
    assert.ok(Math.abs(row!.lon - place.lon) < 0.05, 'the ticket is where the map was clicked');
    const { rows: [category] } = await suite.testDb.db.query<{ name: string }>(
      `SELECT c.name FROM hotline_tickets t JOIN hotline_categories c ON c.id = t.category_id WHERE t.number = $1`, [filed]);
    assert.ok(suggested.endsWith(category!.name), `filed under the accepted suggestion (${suggested})`);
    await shot('11-phone-report-filed');
  });

  step('the status page shows the report\'s public timeline, and 我的诉求 lists it', async () => {
    await suite.page.getByRole('button', { name: '查看办理进度' }).click();
    await suite.page.waitForURL(/\/status\?number=\d+&token=/);
    const status = suite.page.getByTestId('public-status');
    await status.getByText(filed).waitFor();
    await status.getByText('受理', { exact: true }).first().waitFor();
    // The photo loads for the holder of the status link.
    await suite.page.waitForFunction((img) => img instanceof HTMLImageElement && img.complete && img.naturalWidth === 40,
      await status.locator('img').first().elementHandle());
    const width = await suite.page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `the status page fits a phone (${width}px)`);
    await shot('12-phone-status');
    await suite.page.goto(`${suite.base}/hotline-mine`);
    await suite.page.getByTestId('my-reports').getByText(filed).waitFor();
    await shot('13-phone-my-reports');
    await suite.page.setViewportSize(wide);
  });

  const review: { returned?: { id: number; number: string }; extended?: { id: number; number: string } } = {};
  step('a department returns one ticket (the reason is required) and asks more time for another', async () => {
    // Two calls taken and dispatched through the API, as the intake desk does.
    const call = await apiAs('hotline');
    const place = await middleOfGridIn('511602');
    const departments = await call<{ items: { id: number; name: string }[] }>('GET', `/org/departments?q=${encodeURIComponent('广安区民政局')}`);
    const departmentId = departments.items.find((d) => d.name === '广安区民政局')!.id;
    const made: { id: number; number: string }[] = [];
    for (const description of ['低保申请递交一个月了还没有消息', '小区里的独居老人需要上门探访']) {
      const ticket = await call<{ id: number; number: string }>('POST', '/hotline/tickets',
        { channel: 'phone', kind: 'help', description, ...place, callerName: '王五', callerPhone: '13700002222' });
      await call('POST', `/hotline/tickets/${ticket.id}/dispatch`, { departmentId });
      made.push(ticket);
    }
    [review.returned, review.extended] = made;

    await suite.logout();
    await suite.login('ga_officer', demoPassword);
    await suite.page.goto(`${suite.base}/hotline-queue/${review.returned!.id}`);
    const returnForm = suite.page.getByTestId('return-form');
    await returnForm.getByRole('button', { name: /退\s*单/ }).click();
    await returnForm.locator('.ant-form-item', { hasText: '退单原因' }).getByText('退单须选择退单原因').waitFor();
    await suite.choose(returnForm.locator('.ant-form-item', { hasText: '退单原因' }), '非本单位职责');
    await returnForm.getByLabel('备注').fill('低保审核属于乡镇民政办');
    await returnForm.getByRole('button', { name: /退\s*单/ }).click();
    // Returning cannot be taken back: a dialog says what follows before anything is sent.
    const confirm = await suite.dialog();
    await confirm.getByText(/退单后工单退回 12345 中心审核/).waitFor();
    await confirm.getByRole('button', { name: /退\s*单/ }).click();
    await suite.page.getByTestId('timeline').getByText('退单', { exact: true }).waitFor();
    await suite.page.getByTestId('timeline').getByText('退单原因: 非本单位职责').waitFor();

    await suite.page.goto(`${suite.base}/hotline-queue/${review.extended!.id}`);
    await suite.page.getByTestId('ticket-actions').getByRole('button', { name: /签\s*收/ }).click();
    const extension = suite.page.getByTestId('extension-form');
    await extension.getByLabel('延期工作日').fill('3');
    await extension.getByLabel('延期理由').fill('需协调社区网格员上门');
    await extension.getByRole('button', { name: '申请延期' }).click();
    await suite.page.getByTestId('pending-extension').getByText(/3 个工作日/).waitFor();
    await shot('14-extension-requested');
    await suite.logout();
  });

  step('the centre reviews: upholds the return and re-dispatches it, approves the extension', async () => {
    await suite.login('hotline', demoPassword);
    await openPage('审核', '/hotline-review');
    const row = suite.page.locator('.ant-tabs-content-active .ant-table-tbody tr.ant-table-row', { hasText: review.returned!.number });
    const decision = row.getByTestId('return-decision');
    await suite.pickIn(decision, '广安区城市管理综合执法局');
    await shot('15-review-return');
    await decision.getByRole('button', { name: '同意退单并改派' }).click();
    await row.waitFor({ state: 'detached' });

    await suite.page.getByRole('tab', { name: /延期审核/ }).click();
    const extensionRow = suite.page.locator('.ant-tabs-content-active .ant-table-tbody tr.ant-table-row', { hasText: review.extended!.number });
    await extensionRow.getByText('批准', { exact: true }).click();
    await extensionRow.getByRole('button', { name: '延期审核' }).click();
    // Approving cannot be taken back: a confirmation says what follows.
    const confirm = await suite.dialog();
    await confirm.getByText(/办理期限按工作日顺延，不能撤回/).waitFor();
    await confirm.getByRole('button', { name: '延期审核' }).click();
    await extensionRow.waitFor({ state: 'detached' });

    await suite.page.goto(`${suite.base}/hotline-queue/${review.returned!.id}`);
    await suite.page.getByTestId('timeline').getByText('改派', { exact: true }).waitFor();
    await sees('广安区城市管理综合执法局');
    await suite.page.goto(`${suite.base}/hotline-queue/${review.extended!.id}`);
    await suite.page.getByTestId('timeline').getByText('批准延期', { exact: true }).waitFor();
    await shot('16-extension-approved');
  });

  step('审核 fits a 1440 px screen in both languages and says why each ticket came back; 回访 finds a ticket by its number', async () => {
    const { page } = suite;
    // A ticket returned with a reason and a note, and one replied, through the API as the desks do.
    const centre = await apiAs('hotline');
    const officer = await apiAs('ga_officer');
    const place = await middleOfGridIn('511602');
    const departments = await centre<{ items: { id: number; name: string }[] }>('GET', `/org/departments?q=${encodeURIComponent('广安区民政局')}`);
    const departmentId = departments.items.find((d) => d.name === '广安区民政局')!.id;
    const [returned, replied] = await Promise.all(['社区养老服务站一直没有开门', '低保金本月没有按时发放'].map(async (description) => {
      const ticket = await centre<{ id: number; number: string }>('POST', '/hotline/tickets',
        { channel: 'phone', kind: 'help', description, ...place, callerName: '赵六', callerPhone: '13700003333' });
      await centre('POST', `/hotline/tickets/${ticket.id}/dispatch`, { departmentId });
      return ticket;
    }));
    await officer('POST', `/hotline/tickets/${returned!.id}/return`, { reasonCode: 'outside-area', note: '该站点属岳池县管理' });
    await officer('POST', `/hotline/tickets/${replied!.id}/accept`);
    await officer('POST', `/hotline/tickets/${replied!.id}/reply`, { reply: '已核实并补发' });

    await page.context().clearCookies();
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${suite.base}/`);
    await suite.login('hotline', demoPassword);
    const overflow = () => page.evaluate(() => [document.documentElement, ...document.querySelectorAll('.ant-tabs-content-active .ant-table-content')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => `${el.className || 'page'}: ${el.scrollWidth} > ${el.clientWidth}`));
    for (const [language, columnTitle, reason, menu] of [['中文', '退单原因', '不在本单位辖区', '审核'], ['English', 'Return reason', 'Outside this department\'s area', 'Review']] as const) {
      if (language === 'English') await page.locator('.console-header').getByText('English', { exact: true }).click();
      await openPage(menu, '/hotline-review');
      await page.locator('.ant-tabs-content-active .ant-table-thead th', { hasText: columnTitle }).waitFor();
      const row = page.locator('.ant-tabs-content-active .ant-table-tbody tr.ant-table-row', { hasText: returned!.number });
      await row.getByText(reason).waitFor();
      await row.getByText('该站点属岳池县管理').waitFor();
      assert.deepEqual(await overflow(), [], `审核 in ${language} overflows at 1440 px`);
      await shot(`17-review-1440-${language === '中文' ? 'zh' : 'en'}`);
    }
    await page.locator('.console-header').getByText('中文', { exact: true }).click();

    await openPage('回访', '/hotline-callback');
    await page.getByRole('tab', { name: /待办结/ }).click();
    const search = page.getByPlaceholder('编号、内容或地址');
    await search.fill(replied!.number);
    await search.press('Enter');
    const rows = page.locator('.ant-tabs-content-active .ant-table-tbody tr.ant-table-row');
    await rows.filter({ hasText: replied!.number }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('.ant-tabs-content-active .ant-table-tbody tr.ant-table-row').length === 1);
    await shot('18-callback-search');
    await search.fill('没有这样的工单');
    await search.press('Enter');
    await rows.first().waitFor({ state: 'detached' });
    await page.setViewportSize(wide);
    await suite.logout();
  });
});
