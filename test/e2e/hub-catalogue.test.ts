// The data catalogue in a real browser: a 公安局 data officer registers a resource with its fields, imports
// a CSV with one bad row and sees the report, submits it; the hub administrator (政数局 data officer)
// publishes it; an officer of 民政局 finds it by a Chinese word and sees its fields and grades.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { demoPassword } from '../../src/demo.ts';
import { hashPassword } from '../../src/kernel/auth/index.ts';
import { residentIdCheckChar } from '../../src/kernel/checks/index.ts';
import { browserSuite, phone, wide } from './browser.ts';

const suite = browserSuite('hub-catalogue');
const { shot, sees, step, openPage, choose } = suite;
const rid = (first17: string) => first17 + residentIdCheckChar(first17);

describe('data catalogue', () => {
  step('staff of 公安局 and 民政局 get demo logins', async () => {
    const { db } = suite.testDb;
    const hash = await hashPassword(demoPassword);
    for (const [username, kind, role] of [['ga_data', 'public-security', 'data_officer'], ['mz_officer', 'civil-affairs', 'officer']]) {
      await db.query(
        `INSERT INTO users (username, display_name, kind, password_hash, department_id, division_code, roles)
         SELECT $1, $1, 'staff', $2, id, division_code, ARRAY[$4] FROM departments WHERE kind = $3 AND division_code = '511600000000'`,
        [username, hash, kind, role]);
    }
  });

  step('a data officer registers a resource with its fields', async () => {
    const { page } = suite;
    await suite.loginAt('/', 'ga_data');
    await openPage('资源登记', '/hub-register');
    await sees('登记新资源');
    await page.getByLabel('目录编码').fill('A01-0009-0001-0001');
    await page.getByLabel('资源名称').fill('流动人口登记信息');
    await page.getByLabel('摘要').fill('来广安居住半年以上的流动人口登记');
    await page.getByLabel('主键信息项').fill('id_number');
    await page.getByLabel('信息项编码').nth(0).fill('id_number');
    await page.getByLabel('信息项名称').nth(0).fill('公民身份号码');
    await choose('分级', '重要', 0);
    await choose('级别', 'L3', 0);
    await choose('默认脱敏', '部分遮盖', 0);
    await choose('校验规则', '公民身份号码校验', 0);
    await page.getByLabel('必填').nth(0).click();
    await page.getByRole('button', { name: '添加信息项' }).click();
    await page.getByLabel('信息项编码').nth(1).fill('name');
    await page.getByLabel('信息项名称').nth(1).fill('姓名');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await sees('已登记 A01-0009-0001-0001');
    await sees('流动人口登记信息 (A01-0009-0001-0001)');
  });

  step('imports a CSV with one bad row and sees the report', async () => {
    const { page } = suite;
    const csv = `公民身份号码,姓名\n${rid('51160219900101123')},张三\n${rid('51162119850505234')},李四\n51160219900101123X,王五\n`;
    await page.getByLabel('导入 CSV（UTF-8）').setInputFiles({ name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await sees('共 3 行，导入 2 行，1 行有误');
    await sees('校验位错误');
    const row = page.locator('.ant-table-row', { hasText: '校验位错误' });
    assert.equal((await row.locator('td').first().textContent())?.trim(), '4');
    await shot('import-report');
    await page.getByRole('button', { name: '提交审核' }).click();
    await sees('已提交审核');
  });

  step('the hub administrator publishes it from the review queue', async () => {
    const { page } = suite;
    await suite.loginAt('/', 'data_officer');
    await openPage('目录审核', '/hub-review');
    const row = page.locator('.ant-table-row', { hasText: 'A01-0009-0001-0001' });
    await row.getByRole('button', { name: /审\s*核/ }).click();
    await sees('来广安居住半年以上的流动人口登记');
    // A trial click waits until the drawer has stopped sliding in.
    await page.getByRole('button', { name: '通过并发布' }).click({ trial: true });
    await shot('review');
    await page.getByRole('button', { name: '通过并发布' }).click();
    // Publishing asks first, saying what will happen; the note is optional.
    // Once the dialog has stopped zooming in: a click during it can miss the moving button.
    await (await suite.dialog()).getByRole('button', { name: '通过并发布' }).click();
    await sees('已发布');
  });

  step('an officer of another department finds it by a Chinese word and sees its fields and grades', async () => {
    const { page } = suite;
    await suite.loginAt('/', 'mz_officer');
    await openPage('数据目录', '/catalogue');
    await page.getByLabel('检索').fill('流动人口');
    await page.getByRole('button', { name: /检\s*索/ }).click();
    await sees('检索结果（共 2 条）'); // 居住证信息 is about 流动人口 too
    await page.getByText('流动人口登记信息').first().click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByText('公民身份号码').waitFor();
    await drawer.getByText('重要 · L3').waitFor();
    await drawer.getByText('部分遮盖').waitFor();
    await drawer.getByText('第 1 版').first().waitFor();
    await drawer.locator('.ant-drawer-close').click({ trial: true });
    await shot('entry-detail');
    await page.keyboard.press('Escape');
  });

  step('the catalogue with facets at phone width', async () => {
    const { page } = suite;
    await page.setViewportSize(phone);
    await page.goto(`${suite.base}/catalogue`);
    await sees('人口基本信息');
    await page.locator('.ant-checkbox-wrapper', { hasText: '无条件共享' }).click();
    await sees('企业登记信息');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= phone.width, `page is ${width}px wide`);
    await shot('catalogue-phone');
    await page.setViewportSize(wide);
  });

  step('data quality shows the objections to answer with their countdown', async () => {
    await suite.loginAt('/', 'ga_data');
    await openPage('数据质量', '/hub-quality');
    await sees('待答复的数据疑义');
    await sees('户籍地与现住址不符，请核实');
    await sees(/剩余 \d+ 天|已超期 \d+ 天/);
    await shot('quality');
  });

  step('the catalogue works in English too', async () => {
    const { page } = suite;
    await page.goto(`${suite.base}/catalogue`);
    await page.locator('.console-header').getByText('English').click();
    await sees('Data catalogue');
    await page.getByLabel('Search').fill('企业');
    await page.getByRole('button', { name: 'Search' }).click();
    await sees(/Results \(\d+\)/);
    await page.getByText('企业登记信息').first().click();
    await page.locator('.ant-drawer').getByText('Shared unconditionally').waitFor();
    await page.locator('.ant-drawer-close').click({ trial: true });
    await shot('entry-detail-en');
    await page.keyboard.press('Escape');
    await page.locator('.console-header').getByText('中文').click();
  });
});
