// 七张问题清单 and 督考 in a real browser, on the demo city's month of use: the 督查室 registers a problem,
// 广安区民政局 analyses it and rectifies with evidence (it cannot accept its own work), the 督查室 accepts it and
// sets a prevention rule; then a task is assigned, reported done with evidence, closed and scored, with the
// formula beside the score.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { browserSuite } from './browser.ts';

const suite = browserSuite('supervision');
const { shot, sees, step, openPage } = suite;
const evidence = { name: '整改照片.png', mimeType: 'image/png',
  buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64') };
let problemPath = '';
let taskPath = '';

async function noOverflow(where: string): Promise<void> {
  const { scrollWidth, innerWidth } = await suite.page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  assert.ok(scrollWidth <= innerWidth, `${where}: page is ${scrollWidth}px wide in a ${innerWidth}px window`);
}

describe('problem lists and 督考', () => {
  step('the 督查室 sees a month of problems, overdue ones in red, and registers a new one', async () => {
    const { page } = suite;
    await suite.loginAt('/problems', 'duchashi');
    // The first page of a fresh console builds its bundle cache: allow it longer than a step's usual wait.
    await page.locator('.supervision-overdue-row').first().waitFor({ timeout: 60_000 });
    await sees('按部门');
    await noOverflow('board');
    await shot('01-board');
    await page.getByRole('button', { name: '登记问题' }).click();
    const modal = await suite.dialog();
    await modal.getByLabel('问题', { exact: true }).fill('社区养老服务投诉集中');
    await modal.getByLabel('问题描述').fill('多名群众反映社区养老服务站服务时间不固定。');
    await suite.pickOption(modal, '清单', '信访和群众反映问题清单');
    await suite.pickOption(modal, '责任部门', '广安区民政局');
    await modal.getByLabel('问题类型').fill('elderly-care-hours');
    await modal.getByRole('button', { name: '列入清单' }).click();
    await page.waitForURL('**/problems/*');
    problemPath = new URL(page.url()).pathname;
    await sees('社区养老服务投诉集中');
    await sees('已列入清单');
    await sees('10 个工作日');
    await shot('02-problem-registered');
  });

  step('the department analyses the root cause, takes a step with evidence and asks for acceptance; it cannot accept its own work', async () => {
    const { page } = suite;
    await suite.loginAt(problemPath, 'ga_officer');
    await sees('社区养老服务投诉集中');
    await page.getByLabel('第1个为什么').fill('为什么服务时间不固定？人员排班不足');
    await page.getByLabel('第2个为什么').fill('为什么排班不足？未核定岗位');
    await page.getByLabel('第3个为什么').fill('为什么未核定？缺少运营标准');
    await suite.pickOption(page.locator('form').first(), '原因类别', '制度缺失');
    await page.getByLabel('根本原因').fill('缺少社区养老服务站运营标准');
    await page.getByRole('button', { name: '保存根源分析' }).click();
    await sees('已完成根源分析');
    await page.getByLabel('整改措施').fill('制定服务站运营标准，公布固定服务时间');
    await page.locator('input[type=file]').setInputFiles(evidence);
    await page.locator('.ant-tag', { hasText: '整改照片.png' }).waitFor();
    await page.getByRole('button', { name: '添加整改措施' }).click();
    await page.getByRole('link', { name: /整改照片\.png/ }).waitFor();
    await page.getByLabel('整改情况说明').fill('已公布服务时间并落实排班');
    await page.getByRole('button', { name: '提请验收' }).click();
    await sees('待评估验收');
    await sees('待非责任部门评估验收');
    assert.equal(await page.getByRole('button', { name: '验收通过' }).count(), 0, 'the owner department is not offered acceptance');
    await shot('03-problem-rectified');
  });

  step('the 督查室 accepts it and sets a prevention rule; the problem is closed and watched for recurrence', async () => {
    const { page } = suite;
    await suite.loginAt(problemPath, 'duchashi');
    await page.getByLabel('验收意见').fill('现场核查属实，同意');
    await page.getByRole('button', { name: '验收通过' }).click();
    await sees(/陈立群 于 .* 验收通过/);
    await suite.pickOption(page.locator('form').last(), '预防措施类型', '新建制度规则');
    await page.getByLabel('预防措施', { exact: true }).fill('社区养老服务站服务时间纳入年度考核');
    await page.getByRole('button', { name: '保存预防措施并销号' }).click();
    await sees('已销号');
    await sees('复发监测至');
    await sees('未复发');
    await noOverflow('problem page');
    await shot('04-problem-closed');
    await page.locator('.console-header').getByText('English').click();
    await sees('Recurrence watch');
    await sees('Prevention set, closed');
    await shot('05-problem-closed-en');
    await page.locator('.console-header').getByText('中文').click();
    await sees('复发监测');
  });

  step('the 督查室 assigns a task with a milestone to a department', async () => {
    const { page } = suite;
    await openPage('督办事项', '/supervision-tasks');
    await page.locator('.ant-table-row').first().waitFor();
    await shot('06-tasks');
    await page.getByRole('button', { name: '交办督办事项' }).click();
    const modal = await suite.dialog();
    await modal.getByLabel('事项', { exact: true }).fill('养老服务站标准化建设');
    await modal.getByLabel('督办要求').fill('全区养老服务站按新标准完成整改');
    await suite.pickOption(modal, '责任部门', '广安区民政局');
    await modal.getByRole('button', { name: '添加节点' }).click();
    await modal.getByLabel('节点1').fill('完成标准培训');
    await modal.getByRole('button', { name: '交 办' }).or(modal.getByRole('button', { name: '交办', exact: true })).click();
    await page.waitForURL('**/supervision-tasks/*');
    taskPath = new URL(page.url()).pathname;
    await sees('养老服务站标准化建设');
    await sees('完成标准培训');
    await shot('07-task-assigned');
  });

  step('the department reports it done with evidence; the 督查室 closes it and the ranking shows the score with its formula', async () => {
    const { page } = suite;
    await suite.loginAt(taskPath, 'ga_officer');
    await page.getByLabel('进展情况').fill('已完成全部服务站培训和整改');
    await suite.choose('完成节点', '完成标准培训');
    await page.getByText('已全部完成，报请办结').click();
    await page.locator('input[type=file]').setInputFiles(evidence);
    await page.locator('.ant-tag', { hasText: '整改照片.png' }).waitFor();
    await page.getByRole('button', { name: '报 送' }).or(page.getByRole('button', { name: '报送', exact: true })).click();
    await sees('待审核办结');
    await page.getByRole('link', { name: /整改照片\.png/ }).waitFor();
    await shot('08-task-reported');

    await suite.loginAt(taskPath, 'duchashi');
    await page.getByLabel('验收意见').fill('经核查完成，同意办结');
    await page.getByRole('button', { name: '同意办结' }).click();
    await sees('已办结');
    await openPage('督考排名', '/supervision-scores');
    await page.getByLabel('查找部门').fill('广安区民政局');
    await page.getByLabel('查找部门').press('Enter');
    const row = page.locator('.ant-table-row', { hasText: '广安区民政局' });
    await row.waitFor();
    const formula = (await row.locator('.supervision-formula').textContent()) ?? '';
    const score = Number((await row.locator('strong').textContent()) ?? 'NaN');
    const [expression, result] = formula.split(' = ');
    assert.equal(Number(result), score, 'the score shown is the result of the formula beside it');
    const computed = Function(`return ${expression!.replaceAll('×', '*').replaceAll('÷', '/')}`)() as number;
    assert.equal(Math.round(computed * 100) / 100, score);
    await sees(/得分 = \(40×督办按期办结率/);
    await noOverflow('ranking');
    await shot('09-ranking');
    await page.getByLabel('督办按期办结率').fill('60');
    await page.getByRole('button', { name: '保存权重' }).click();
    await sees(/得分 = \(60×督办按期办结率/);
    await row.locator('.supervision-formula', { hasText: '60×' }).waitFor();
    await shot('10-ranking-weights');
  });
});
