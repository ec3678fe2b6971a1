// The data hub's exchange in a real browser: an officer requests a published resource, the provider approves
// in the console, a system calls the gateway, the citizen sees the call, and the dashboard counts it.
import { before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { demoPassword } from '../../src/demo.ts';
import { systemActor } from '../../src/kernel/auth/index.ts';
import { issueSystemToken } from '../../src/hub/index.ts';
import { createSystem } from '../../src/hub/systems.ts';
import { makeStaff, testPassword } from '../helpers/factories.ts';
import { personEntry, publishEntry, run } from '../hub/factories.ts';
import { browserSuite, phone, wide } from './browser.ts';

const suite = browserSuite('hub');
const { shot, sees, step, openPage } = suite;
const resourceCode = 'C09-0009-0009-0001';
let token = '';
let citizenId = '';

/** Nothing wider than the window: no sideways scrolling of the page. */
async function assertFits(where: string) {
  const { scrollWidth, innerWidth } = await suite.page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  assert.ok(scrollWidth <= innerWidth, `${where}: page is ${scrollWidth}px wide in a ${innerWidth}px window`);
}

/** Waits until no list or table on the page is still loading. */
const settled = () => suite.page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' });

describe('data hub exchange in the console', () => {
  before(async () => {
    const db = suite.testDb.db;
    const department = async (name: string) => (await db.query<{ id: number }>('SELECT id FROM departments WHERE name = $1', [name])).rows[0]!.id;
    const police = await department('广安市公安局');
    const civil = await department('广安区民政局');
    await makeStaff(db, { username: 'police_data', roles: ['data_officer'], departmentId: police, displayName: '公安数据专员' });
    citizenId = (await db.query<{ id_number: string }>(`SELECT id_number FROM users WHERE username = 'citizen1'`)).rows[0]!.id_number;
    const resource = await publishEntry(db, personEntry(police, { code: resourceCode, name: '户籍人口核验信息' }));
    await db.query('INSERT INTO hub_rows (resource_id, subject, key, data) VALUES ($1, $2, $2, $3)', [resource.id, citizenId,
      { id_number: citizenId, name: '王小梅', birth_date: `${citizenId.slice(6, 10)}-${citizenId.slice(10, 12)}-${citizenId.slice(12, 14)}`,
        division_code: `${citizenId.slice(0, 6)}001001`, household_size: 3 }]);
    const actor = systemActor('test');
    await run(db, actor, createSystem, { code: 'GAQ-MZ-E2E', name: '区民政救助系统', departmentId: civil });
    const consumer = (await db.query<{ id: number }>(`SELECT id FROM hub_systems WHERE code = 'GAQ-MZ-E2E'`)).rows[0]!;
    token = (await run(db, actor, issueSystemToken, { systemId: consumer.id, validDays: 30 })).token;
  });

  step('an officer of 广安区民政局 requests fields of the police resource for the department\'s system', async () => {
    await suite.page.goto(`${suite.base}/`);
    await suite.login('ga_officer', demoPassword);
    await openPage('共享申请', '/share-requests');
    await suite.page.getByRole('button', { name: /新建申请/ }).click();
    const form = await suite.dialog();
    await suite.pickOption(form, '使用系统', '区民政救助系统');
    await suite.pickOption(form, '数据资源', '户籍人口核验信息');
    for (const field of ['公民身份号码', '姓名', '出生日期']) await form.getByLabel(field, { exact: true }).check();
    await form.getByLabel('用途', { exact: true }).fill('低保资格审核');
    await form.getByLabel('法律依据', { exact: true }).fill('《社会救助暂行办法》第十一条');
    await form.getByLabel('应用场景', { exact: true }).fill('受理低保申请时核对申请人户籍');
    await shot('01-request-form');
    await form.getByRole('button', { name: /确\s*定|OK/ }).click();
    await sees('申请已提交，等待提供部门审批');
    const row = suite.page.locator('.ant-table-row', { hasText: '户籍人口核验信息' });
    await row.getByText('待审批').waitFor();
    assert.match(await row.locator('[data-testid=countdown]').textContent() ?? '', /^剩余 \d+ 天 \d+ 小时$/);
    await assertFits('requests');
    await shot('02-request-pending');
    await suite.logout();
  });

  step('the police data officer approves, narrowing the fields, unmasking the name and setting a quota', async () => {
    await suite.login('police_data', testPassword);
    await openPage('共享申请', '/share-requests');
    const row = suite.page.locator('.ant-table-row', { hasText: '户籍人口核验信息' });
    await row.locator('[data-testid=countdown]').waitFor();
    await row.getByRole('button', { name: /^同\s*意$/ }).click();
    const dialog = await suite.dialog();
    await dialog.getByText('广安区民政局 · 区民政救助系统').waitFor();
    await dialog.getByLabel('出生日期', { exact: true }).uncheck();
    await suite.choose('脱敏规则 姓名', '不脱敏');
    await dialog.getByLabel('每日调用限额').fill('100');
    await dialog.getByText('授权信息项（可缩减）').click();
    await shot('03-approve-dialog');
    await dialog.getByRole('button', { name: /确\s*定|OK/ }).click();
    await sees('已同意并授权');
    await openPage('授权管理', '/share-grants');
    const grant = suite.page.locator('.ant-table-row', { hasText: '户籍人口核验信息' });
    await grant.getByText('有效').waitFor();
    await grant.getByText('姓名 · 不脱敏').waitFor();
    await grant.getByText('0 / 100').waitFor();
    await shot('04-grants');
  });

  step('the consumer system calls the gateway with its token and gets the granted, masked fields', async () => {
    const res = await fetch(`${suite.base}/hub/v1/call/${resourceCode}`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-purpose': encodeURIComponent('低保资格审核'), 'x-case-id': 'MZ-2026-0042' },
      body: JSON.stringify({ subject: citizenId }),
    });
    assert.equal(res.status, 200);
    const body = await res.json() as { data: Record<string, unknown>[]; messageId: string };
    assert.deepEqual(body.data, [{ id_number: `${citizenId.slice(0, 3)}***********${citizenId.slice(-4)}`, name: '王小梅' }]);
    await suite.page.reload();
    await suite.page.locator('.ant-table-row', { hasText: '户籍人口核验信息' }).getByText('1 / 100').waitFor();
  });

  step('the call log shows the call, and its evidence checks out against the signed ledger', async () => {
    await openPage('调用日志', '/share-calls');
    const row = suite.page.locator('.ant-table-row', { hasText: '户籍人口核验信息' }).first();
    await row.getByText('成功', { exact: true }).waitFor();
    await row.click();
    const drawer = suite.page.locator('.ant-drawer');
    await drawer.getByText('MZ-2026-0042', { exact: false }).waitFor();
    // The sequencer integrates the entry within moments; check until it is in a signed checkpoint.
    for (let attempt = 0; ; attempt++) {
      await drawer.getByRole('button', { name: /在账本中核验/ }).click();
      const result = drawer.locator('[data-testid=ledger-check]');
      await result.waitFor();
      if (await result.getByText('已核验：存证与账本一致').count() > 0) break;
      assert.ok(attempt < 10, await result.textContent() ?? 'no result');
      await suite.page.waitForTimeout(500);
      await drawer.locator('.ant-drawer-close').click();
      await row.click();
    }
    await drawer.getByText('调用存证与账本条目的载荷哈希一致（未被篡改）', { exact: false }).waitFor();
    await shot('05-call-verified');
    await drawer.locator('.ant-drawer-close').click();
    await suite.logout();
  });

  step('the citizen, on a phone, sees who used their data, for what and on which legal basis', async () => {
    await suite.page.setViewportSize(phone);
    await suite.login('citizen1', demoPassword);
    await openPage('我的数据使用记录', '/my-data');
    const entry = suite.page.locator('[data-testid=usage-entry]').first();
    await entry.getByText('广安区民政局').waitFor();
    await entry.getByText('通过 区民政救助系统 查询了 广安市公安局 的「户籍人口核验信息」').waitFor();
    await entry.getByText('公民身份号码').waitFor();
    await entry.getByText('用途：低保资格审核').waitFor();
    await entry.getByText('法律依据：《社会救助暂行办法》第十一条').waitFor();
    await settled();
    await assertFits('who used my data on a phone');
    await shot('06-citizen-my-data-phone');
    await suite.logout();
    await suite.page.setViewportSize(wide);
  });

  step('the hub administrator\'s dashboard counts the call in its charts', async () => {
    await suite.login('data_officer', demoPassword);
    await openPage('共享看板', '/share-dashboard');
    const kpis = suite.page.locator('[data-testid=kpis]');
    await kpis.getByText('调用次数').waitFor();
    const calls = Number((await kpis.locator('.ant-statistic').first().locator('.ant-statistic-content-value').textContent())?.replaceAll(',', ''));
    assert.ok(calls >= 1000, `calls ${calls}`); // the demo's calls and the test's own
    await suite.page.locator('[data-testid=trend] canvas').waitFor();
    await suite.page.locator('[data-testid=resources] canvas').waitFor();
    await settled();
    await assertFits('dashboard');
    await shot('07-dashboard');
    await suite.page.locator('.console-header').getByText('English').click();
    await suite.page.locator('.console-sider').getByText('Sharing dashboard', { exact: true }).waitFor();
    await sees('Calls per day');
    await shot('08-dashboard-en');
  });
});
