// Each demo login's menu offers only the pages the user can use, and a page opened by its address that the
// user may not use says so instead of showing an empty page.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { allDemoLogins, demoPassword } from '../../src/demo.ts';
import { browserSuite } from './browser.ts';

const suite = browserSuite('menus');
const { shot, step } = suite;

const centreDesks = ['12345 受理台', '审核', '回访', '统计分析'];

const kernel = ['组织机构', '人员管理', '工作日历', '数据铁笼·账本'];
/** Without account management (人员管理 is for admins only). */
const kernelRead = ['组织机构', '工作日历', '数据铁笼·账本'];
const sharing = ['共享申请', '授权管理', '调用日志', '共享看板'];
const oversight = ['风险预警', '预警规则库'];
/** 七张问题清单 and 督考: every department takes part, so staff of a department see them. */
const supervision = ['问题清单', '督办事项', '督考排名'];
const registry = ['基础库数据源', '融合复核', '标准记录', '基础库质量'];
/**
 * The menu of each demo login, as its labels read in Chinese (API 文档 is everyone's), before any risk alert
 * has been released to anyone: 我的预警 appears once one is (test/e2e/oversight.test.ts).
 */
const expected: Record<string, string[]> = {
  admin: [...kernel, '12345 受理台', '工单队列', '审核', '回访', '统计分析', '部件管理', '案件管理', '巡查上报', '现场任务', '管辖争议', '案件考评', '案件设置', '感知设备', '一张图', '指挥大屏', '调度指令', '数据目录', '资源登记', '系统登记', '数据质量', '目录审核', ...sharing,
    '办件受理', '事项管理', '不来即享', '好差评', '行政处罚', '电子证照登记', ...registry, ...supervision, '风险预警'],
  // 广安区政数局 and 市政数局 issue no e-certificate: no register of them.
  ga_admin: [...kernel, '工单队列', '统计分析', '部件管理', '案件管理', '案件考评', '感知设备', '一张图', '指挥大屏', '调度指令', '数据目录', '数据质量', '办件受理', '事项管理', '好差评', ...supervision],
  // 广安区民政局 runs an information system (广安区社会救助系统): its officer requests and watches data sharing.
  ga_officer: [...kernelRead, '工单队列', '部件管理', '案件管理', '感知设备', '一张图', '调度指令', '数据目录', '数据质量', ...sharing, '办件受理', '好差评', '标准记录', ...supervision],
  // 岳池县民政局 and the hotline centre run no system and list no service item: no sharing pages, no 办件受理;
  // the base libraries' pilot has not reached 岳池县: no 标准记录.
  yc_officer: [...kernelRead, '工单队列', '部件管理', '案件管理', '感知设备', '一张图', '调度指令', '数据目录', '数据质量', '好差评', ...supervision],
  data_officer: [...kernelRead, '数据目录', '资源登记', '系统登记', '数据质量', '目录审核', ...sharing, ...registry],
  // Inspectors follow data sharing through the risk alerts, not the departments' sharing pages.
  inspector: [...kernelRead, '工单队列', '统计分析', '部件管理', '案件管理', '案件考评', '感知设备', '一张图', '指挥大屏', '数据目录', '数据质量', '办件受理', '好差评', '行政处罚', '标准记录', '基础库质量',
    ...supervision, ...oversight, '廉政档案'],
  supervisor: [...kernelRead, '工单队列', '统计分析', '部件管理', '案件管理', '案件考评', '感知设备', '一张图', '指挥大屏', '数据目录', '数据质量', '办件受理', '好差评', '行政处罚', '标准记录', '基础库质量',
    ...supervision, ...oversight],
  hotline: [...kernelRead, '12345 受理台', '工单队列', '审核', '回访', '统计分析', '部件管理', '案件管理', '感知设备', '一张图', '调度指令', '数据目录', '数据质量', '好差评', '标准记录',
    ...supervision],
  citizen1: ['数据铁笼·账本', '我的诉求', '我的数据使用记录', '我的办事', '我的证照', '我的档案'],
  // The 督查室 provides no data and has raised no objection: no 数据质量.
  // The city-operations desks: each sees the cases (案件管理); the centres the evaluation, the patrol worker the phone page,
  // the command centre the jurisdiction disputes (管辖争议).
  // Staff of every department see the sensors (感知设备) and the one map (一张图); data officers and citizens do not. The centres and overseers
  // see the command-centre screen (指挥大屏); the staff of any department the orders addressed to it (调度指令).
  jiandu: [...kernelRead, '工单队列', '部件管理', '案件管理', '案件考评', '感知设备', '一张图', '指挥大屏', '调度指令', '数据目录', '好差评', '标准记录', ...supervision],
  zhihui: [...kernelRead, '工单队列', '部件管理', '案件管理', '管辖争议', '案件考评', '案件设置', '感知设备', '一张图', '指挥大屏', '调度指令', '数据目录', '好差评', '标准记录', ...supervision],
  caiji: [...kernelRead, '工单队列', '部件管理', '案件管理', '巡查上报', '现场任务', '感知设备', '一张图', '调度指令', '数据目录', '好差评', '标准记录', ...supervision],
  // 广安区城市管理综合执法局 lists service items and gives data: 办件受理 and 数据质量 as for 广安区民政局.
  ga_cg: [...kernelRead, '工单队列', '部件管理', '案件管理', '现场任务', '感知设备', '一张图', '调度指令', '数据目录', '数据质量', '办件受理', '好差评', '行政处罚', '标准记录', ...supervision],
  // 行政处罚 of the same bureau: its officers as ga_cg; its head (dept_admin) as a department's admin, with the bureau's staff and items.
  zf_officer: [...kernelRead, '工单队列', '部件管理', '案件管理', '现场任务', '感知设备', '一张图', '调度指令', '数据目录', '数据质量', '办件受理', '好差评', '行政处罚', '标准记录', ...supervision],
  zf_review: [...kernelRead, '工单队列', '部件管理', '案件管理', '现场任务', '感知设备', '一张图', '调度指令', '数据目录', '数据质量', '办件受理', '好差评', '行政处罚', '标准记录', ...supervision],
  zf_head: [...kernel, '工单队列', '统计分析', '部件管理', '案件管理', '案件考评', '感知设备', '一张图', '指挥大屏', '调度指令', '数据目录', '数据质量', '办件受理', '事项管理', '好差评', '行政处罚', ...supervision],
  // Its handling worker: the unit's pages, and 现场任务 as for every handling unit's staff and the patrol workers.
  ga_cgry: [...kernelRead, '工单队列', '部件管理', '案件管理', '现场任务', '感知设备', '一张图', '调度指令', '数据目录', '数据质量', '办件受理', '好差评', '行政处罚', '标准记录', ...supervision],
  duchashi: [...kernelRead, '工单队列', '统计分析', '部件管理', '案件管理', '案件考评', '感知设备', '一张图', '指挥大屏', '数据目录', '办件受理', '好差评', '行政处罚', '标准记录', '基础库质量',
    ...supervision, ...oversight],
};

async function menuOf(username: string): Promise<string[]> {
  const { page } = suite;
  await page.goto(`${suite.base}/`);
  await suite.login(username, demoPassword);
  const items = page.locator('.console-sider .ant-menu-item');
  await items.first().waitFor();
  const labels = (await items.allInnerTexts()).map((s) => s.trim()).filter((s) => s !== 'API 文档');
  await suite.logout();
  return labels;
}

describe('menus and pages by what a user may use', () => {
  step('every demo login\'s menu: the hotline centre\'s desks only for the centre (and the admin)', async () => {
    const menus: Record<string, string[]> = {};
    for (const { username } of allDemoLogins()) menus[username] = await menuOf(username);
    assert.deepEqual(Object.keys(menus).sort(), Object.keys(expected).sort());
    for (const officer of ['ga_officer', 'yc_officer'])
      assert.deepEqual(centreDesks.filter((d) => menus[officer]!.includes(d)), [], `${officer} sees no centre desk`);
    assert.deepEqual(centreDesks.filter((d) => !menus.hotline!.includes(d)), [], 'the centre sees its desks');
    assert.deepEqual(menus, expected);
  });

  step('a department officer opening the intake desk by its address sees 无权访问, with a way back', async () => {
    const { page } = suite;
    await page.goto(`${suite.base}/`);
    await suite.login('ga_officer', demoPassword);
    await page.goto(`${suite.base}/hotline-intake`);
    await page.getByTestId('no-access').getByText('无权访问').waitFor();
    assert.equal(await page.getByLabel('诉求内容').count(), 0, 'the intake form is not shown');
    await shot('01-no-access');
    await page.getByTestId('no-access').getByRole('button', { name: '返回首页' }).click();
    await page.waitForURL((url) => url.pathname !== '/hotline-intake');
    await page.getByTestId('no-access').waitFor({ state: 'detached' });
  });
});
