// The base libraries in a real browser: a data officer adds a source with its field mapping and loads it with a
// progress line, reviews a pair, opens a golden record and its waterfall (in English too); a citizen files a
// correction of their record, and it reaches the department that owns the source.
import { before, describe } from 'node:test';
import assert from 'node:assert/strict';
import { demoPassword } from '../../src/demo.ts';
import { systemActor } from '../../src/kernel/auth/index.ts';
import { issueGrant } from '../../src/hub/index.ts';
import { importRows } from '../../src/hub/loads.ts';
import { makeStaff, testPassword } from '../helpers/factories.ts';
import { personEntry, publishEntry, run } from '../hub/factories.ts';
import { browserSuite } from './browser.ts';

const suite = browserSuite('registry');
const { shot, sees, step, openPage } = suite;
let citizenName = '';

/** Nothing wider than the window. */
async function assertFits(where: string) {
  const { scrollWidth, innerWidth } = await suite.page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  assert.ok(scrollWidth <= innerWidth, `${where}: page is ${scrollWidth}px wide in a ${innerWidth}px window`);
}

describe('base libraries in the console', () => {
  before(async () => {
    const db = suite.testDb.db;
    const department = async (name: string) => (await db.query<{ id: number }>('SELECT id FROM departments WHERE name = $1', [name])).rows[0]!.id;
    const police = await department('广安市公安局');
    // A data officer of each department that may own the citizen's fields, to see the correction arrive.
    await makeStaff(db, { username: 'health_data', roles: ['data_officer'], departmentId: await department('广安市卫生健康委员会'), displayName: '卫健数据专员' });
    await makeStaff(db, { username: 'police_data', roles: ['data_officer'], departmentId: police, displayName: '公安数据专员' });
    const citizen = (await db.query<{ id_number: string; display_name: string }>(`SELECT id_number, display_name FROM users WHERE username = 'citizen1'`)).rows[0]!;
    citizenName = citizen.display_name;
    // A further register of the police, granted to the population library's system: the source the officer adds.
    const resource = await publishEntry(db, personEntry(police, { code: 'A01-0001-0009-0001', name: '流动人口登记信息' }));
    await run(db, systemActor('test'), importRows, { code: resource.code, format: 'json', body: [
      { id_number: citizen.id_number, name: citizen.display_name, birth_date: `${citizen.id_number.slice(6, 10)}-${citizen.id_number.slice(10, 12)}-${citizen.id_number.slice(12, 14)}`,
        division_code: `${citizen.id_number.slice(0, 6)}001001`, household_size: 2 },
    ] });
    const library = (await db.query<{ system_id: number; department_id: number }>(`SELECT system_id, department_id FROM registry_libraries WHERE library = 'people'`)).rows[0]!;
    await run(db, systemActor('test'), issueGrant, { requestId: null, consumerSystemId: library.system_id, consumerDepartmentId: library.department_id,
      resourceId: resource.id, predicateId: null, providerDepartmentId: police, fields: resource.fields.map((f) => f.code),
      masking: Object.fromEntries(resource.fields.map((f) => [f.code, 'none' as const])), purpose: '人口库汇聚', legalBasis: '《政务信息资源共享管理暂行办法》' });
  });

  step('the data officer adds a source, mapping its fields, and loads it with a progress line', async () => {
    const { page } = suite;
    await page.goto(`${suite.base}/`);
    await suite.login('data_officer', demoPassword);
    await openPage('基础库数据源', '/registry-sources');
    await sees('人口基本信息');
    await page.getByRole('button', { name: /添加数据源/ }).click();
    const form = await suite.dialog();
    await suite.pickIn(form.getByTestId('source-resource'), '流动人口登记信息（广安市公安局）');
    for (const [field, option] of [['id_number', '公民身份号码'], ['name', '姓名'], ['birth_date', '出生日期']] as const) {
      await suite.pickIn(form.getByTestId(`map-${field}`), option);
    }
    await shot('1-add-source');
    await form.getByRole('button', { name: /添 ?加/ }).click();
    await sees('数据源已添加');
    const row = page.locator('tr', { hasText: '流动人口登记信息' });
    await row.getByRole('button', { name: /增量加载/ }).click();
    await row.getByTestId('load-progress').getByText(/已完成：读取 1 条/).waitFor();
    await shot('2-loaded');
    await assertFits('sources');
  });

  step('a pair in the uncertain band is reviewed side by side with its waterfall', async () => {
    const { page } = suite;
    await openPage('融合复核', '/registry-review');
    const pair = page.getByTestId('review-pair').first();
    await pair.waitFor();
    const waiting = await page.getByText(/待复核 \d+ 对/).textContent();
    await pair.getByTestId('waterfall').locator('canvas').waitFor();
    await shot('3-review');
    await pair.getByRole('button', { name: '是同一主体', exact: true }).click();
    await sees('已确认为同一主体');
    await page.waitForFunction((before) => !document.body.innerText.includes(before!), waiting);
  });

  step('a golden record opens with a purpose: each field\'s source and rule, and the waterfall of its pairs', async () => {
    const { page } = suite;
    await openPage('标准记录', '/registry-records');
    await page.getByPlaceholder('姓名、名称或证件号码').fill(citizenName);
    await page.getByPlaceholder('姓名、名称或证件号码').press('Enter');
    await page.getByTestId('entity').first().getByRole('button', { name: /查 ?看/ }).click();
    await sees('查看标准记录须说明用途');
    await page.getByTestId('purpose').click();
    await page.locator('.ant-select-dropdown:visible').getByText('基础库数据质量核查').click();
    const fields = page.getByTestId('golden-fields');
    await fields.getByText(citizenName).first().waitFor();
    await fields.getByText('最可信来源').first().waitFor();
    await page.getByTestId('golden-waterfall').locator('canvas').waitFor();
    await shot('4-golden-record');
    await assertFits('golden record');
    await page.locator('.console-header').getByText('English').click();
    await sees('Survivorship rule');
    await sees('Match weight waterfall');
    await shot('5-golden-record-en');
    await page.locator('.console-header').getByText('中文').click();
    await sees('择优规则');
    await openPage('基础库质量', '/registry-quality');
    await page.getByTestId('source-quality').first().waitFor();
    await sees('完整率');
    await shot('6-quality');
    await suite.logout();
  });

  step('the citizen sees their own record and files a correction, which reaches the owning department', async () => {
    const { page } = suite;
    await suite.login('citizen1', demoPassword);
    await openPage('我的档案', '/my-record');
    const record = page.getByTestId('my-record');
    await record.getByText(citizenName).waitFor();
    const birth = record.locator('tr', { hasText: '出生日期' });
    const provider = (await birth.locator('td').nth(2).innerText()).split('\n')[0]!;
    await birth.getByRole('button', { name: /纠 ?错/ }).click();
    const dialog = await suite.dialog();
    await dialog.getByTestId('correction-text').fill('出生日期登记有误，应以户口簿为准');
    await dialog.getByRole('button', { name: /提 ?交/ }).click();
    await sees(`纠错已转交${provider}`);
    await birth.getByText(/纠错已转交，答复期限/).waitFor();
    await shot('7-my-record');
    await suite.logout();
    const owner = { 广安市卫生健康委员会: 'health_data', 广安市公安局: 'police_data' }[provider];
    assert.ok(owner, `the correction went to ${provider}`);
    await suite.login(owner, testPassword);
    await openPage('数据质量', '/hub-quality');
    await sees(/我的档案.*出生日期登记有误/);
    await shot('8-department-objection');
  });
});
