// Every printed demo login finds work waiting: each page its menu shows lists at least one item (no empty
// queue), and no page is wider than the window at desktop (1440 px) or phone (390 px) width.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { allDemoLogins, demoPassword } from '../../src/demo.ts';
import { browserSuite, pageWalk, phone } from './browser.ts';

// Without the walk the file loads no demo at all: the suite's hooks are only registered when it runs.
const suite = pageWalk ? undefined! : browserSuite('demo-work', { workers: true });
const desktop = { width: 1440, height: 900 };
const shots = path.join(os.tmpdir(), 'yiwang-demo-work');

interface Visit { user: string; label: string; path: string; items: number; empty: number; overflow: [number, number]; phoneOverflow: [number, number] }

/** What a page shows once its requests settle: listed items, empty placeholders, and its width against the window. */
async function measure() {
  const { page } = suite;
  // A page's requests may start only once its code has loaded, after a first quiet moment: wait for quiet
  // with no spinner left, twice in a row.
  for (let quiet = 0; quiet < 2;) {
    await page.waitForLoadState('networkidle');
    await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached', timeout: 15_000 }); // none left
    quiet = (await page.locator('.ant-spin-spinning').count()) === 0 ? quiet + 1 : 0;
    await page.waitForTimeout(300);
  }
  // A string, not a function: the transpiler names inner functions with a helper the page does not have.
  return page.evaluate<{ items: number; empty: number; overflow: [number, number] }>(`(() => {
    const visible = (el) => el.offsetParent !== null;
    const main = document.querySelector('.console-content') ?? document.body;
    const items = [...main.querySelectorAll('.ant-table-row, .ant-list-item, .ant-timeline-item, canvas, .ant-statistic, .ant-descriptions-item, .ant-descriptions-item-label, .ant-collapse-item, .ant-tree-treenode')].filter(visible).length;
    const empty = [...main.querySelectorAll('.ant-empty')].filter(visible).length;
    return { items, empty, overflow: [document.scrollingElement.scrollWidth, window.innerWidth] };
  })()`);
}

if (pageWalk) test('demo logins have work waiting', { skip: pageWalk }, () => undefined);
else describe('demo logins have work waiting', () => {
  suite.step('every menu page of every demo login', async () => {
    const { page } = suite;
    const visits: Visit[] = [];
    await fs.mkdir(shots, { recursive: true });
    for (const { username } of allDemoLogins()) {
      await page.setViewportSize(desktop);
      await page.goto(`${suite.base}/`);
      await suite.login(username, demoPassword);
      const menu = page.locator('.console-sider .ant-menu-item');
      await menu.first().waitFor();
      const labels = (await menu.allInnerTexts()).map((s) => s.trim()).filter((s) => s !== 'API 文档');
      for (const label of labels) {
        await page.setViewportSize(desktop);
        const before = page.url();
        await page.locator('.console-sider').getByText(label, { exact: true }).click();
        await page.waitForURL((url) => url.href !== before, { timeout: 3000 }).catch(() => undefined); // the page the login landed on
        const seen = await measure();
        const pagePath = new URL(page.url()).pathname;
        const shot = (width: number) => page.screenshot({ path: path.join(shots, `${username}-${pagePath.slice(1).replace(/\W/g, '_')}-${width}.png`), fullPage: true });
        await shot(1440);
        await page.setViewportSize(phone);
        const small = await measure();
        await shot(390);
        visits.push({ user: username, label, path: pagePath, items: seen.items, empty: seen.empty, overflow: seen.overflow, phoneOverflow: small.overflow });
      }
      await page.setViewportSize(desktop);
      await suite.logout();
    }
    await fs.writeFile(path.join(shots, 'visits.json'), JSON.stringify(visits, null, 1));
    assert.ok(visits.length >= allDemoLogins().length * 3, 'every login has pages');
    assert.deepEqual(visits.filter((v) => v.items === 0).map((v) => `${v.user} ${v.label} (${v.path})`), [], 'no page without work');
    const wider = (v: Visit) => v.overflow[0] > v.overflow[1] || v.phoneOverflow[0] > v.phoneOverflow[1];
    assert.deepEqual(visits.filter(wider).map((v) => `${v.user} ${v.path}: ${v.overflow.join('/')} at 1440, ${v.phoneOverflow.join('/')} at 390`), [],
      'no page wider than the window: tables scroll inside their own container');
  });
});
