// The platform with the demo city in this process, and a real Chromium driving its web app.
// Needs web/dist built (`npm test` builds it) and Chromium at /usr/bin/chromium.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { createTestDb, type TestDb } from '../helpers/db.ts';
import { buildApp } from '../../src/server.ts';
import { startSequencer, type Sequencer } from '../../src/kernel/ledger/index.ts';
import { startScreenRelay, type ScreenRelay } from '../../src/cityops/index.ts';
import type { App } from '../../src/kernel/http/index.ts';
import { startJobs, startSweeps } from '../../src/kernel/jobs/index.ts';
import { queuesOf, timersOf } from '../../src/kernel/module.ts';
import { modules } from '../../src/modules.ts';
import { demoPassword } from '../../src/kernel/auth/index.ts';

export const wide = { width: 1280, height: 800 };
export const phone = { width: 390, height: 844 };

export interface BrowserSuite {
  /** Filled in by the suite's `before` hook. */
  page: Page;
  base: string;
  testDb: TestDb;
  app: App;
  /** A full-page screenshot from the top, so the sticky header sits where a user sees it. */
  shot(name: string): Promise<void>;
  /** Waits until `text` is visible somewhere on the page; fails the test otherwise. */
  sees(text: string | RegExp): Promise<void>;
  /** A step in the browser; when it fails, the page as it was is saved beside the other screenshots. */
  step(name: string, fn: () => Promise<void>, opts?: { skip?: string | false; todo?: string }): void;
  /** Opens a console page through the side menu (the drawer on phones). */
  openPage(menuLabel: string, path: string): Promise<void>;
  /** Logs in through the login form. */
  login(username: string, password: string): Promise<void>;
  /** Logs out whoever is logged in, through the header's button when it shows; ends on the login form at the console's home. */
  logout(): Promise<void>;
  /** Opens this console path as this demo login, after logging out whoever was in. */
  loginAt(path: string, username: string): Promise<void>;
  /** Picks an option in a form's searchable select (or a node of its tree select) and waits until the select shows it. */
  pickOption(form: Locator, label: string, name: string): Promise<void>;
  /** The same for the one searchable select inside `field` (a form item, a table cell, the select itself). */
  pickIn(field: Locator, option: string): Promise<void>;
  /**
   * Picks the option titled `option` in a select, searchable or not: the `index`-th select labelled `label`,
   * or the select (or the one select inside) `field`. The dropdown's opening animation can swallow a click,
   * so the pick is tried again until the select shows it.
   */
  choose(label: string | Locator, option: string, index?: number): Promise<void>;
  /**
   * The dialog just opened (the one showing `hasText`, when given), once its opening animation has ended: a
   * click during it can miss a moving button.
   */
  dialog(hasText?: string): Promise<Locator>;
}

/**
 * The walks over every page of every demo login take minutes each: they run when YIWANG_PAGE_WALK=1 is set
 * (before a release, and when menus or labels change), not in every `npm test`.
 */
export const pageWalk: string | false = process.env.YIWANG_PAGE_WALK === '1' ? false
  : 'walks every page of every demo login (several minutes): set YIWANG_PAGE_WALK=1 to run it';

/**
 * Registers the hooks of one browser test file: a fresh database with the demo city of `npm start`,
 * the platform listening on a free port, a sequencer (with `workers`, also the modules' timers and job workers),
 * and Chromium with a fresh profile. A script error on
 * the page, or anything the Content-Security-Policy blocks, fails the step in which it happened. Screenshots go to test-results/<name>/.
 */
export function browserSuite(name: string, opts: { workers?: boolean } = {}): BrowserSuite {
  const screenshots = path.resolve('test-results', name);
  const scriptErrors: string[] = [];
  let sequencer: Sequencer | undefined;
  let screenRelay: ScreenRelay | undefined;
  let workers: { stop(): Promise<void> }[] = [];
  let browser: BrowserContext | undefined;
  let profileDir: string | undefined;

  /** The API's answers of 400 and above during the running step, as `POST /api/v1/… → 409 title (ms after the step began)`. */
  const refused: string[] = [];
  let stepStarted = Date.now();
  const failureContext = async () => {
    const shown = await suite.page.locator('.ant-message-notice, .ant-notification-notice, .ant-form-item-explain-error, .ant-alert-error, .ant-result-title')
      .allInnerTexts().catch(() => []); // a page already closed shows nothing; the step's own error is reported
    return `\n  after ${Date.now() - stepStarted} ms; the page shows: ${shown.map((x) => x.replace(/\s+/g, ' ').trim()).filter(Boolean).join(' | ') || 'no message'}`
      + `\n  the API refused: ${refused.join('; ') || 'nothing'}`;
  };

  /** The select that `field` is, or the one inside it (a form item, a table cell). */
  const selectIn = (field: Locator) => field.and(suite.page.locator('.ant-select')).or(field.locator('.ant-select')).first();

  const suite = {
    async shot(file: string) {
      await suite.page.evaluate(() => window.scrollTo(0, 0));
      await suite.page.screenshot({ path: path.join(screenshots, `${file}.png`), fullPage: true });
    },
    async sees(text: string | RegExp) {
      await suite.page.getByText(text).first().waitFor({ state: 'visible' });
    },
    step(title: string, fn: () => Promise<void>, opts: { skip?: string | false; todo?: string } = {}) {
      test(title, { skip: opts.skip, todo: opts.todo }, async () => {
        refused.length = 0;
        stepStarted = Date.now();
        try {
          await fn();
        } catch (error) {
          await suite.page.screenshot({ path: path.join(screenshots, `failed-${title.replace(/\W+/g, '-').slice(0, 60)}.png`) }).catch(() => undefined); // the step's own failure is the one to report
          // The screenshot stays on the machine that ran the step: what the page said and what the API refused go into the report.
          if (error instanceof Error) error.message += await failureContext();
          throw error;
        }
      });
    },
    async openPage(menuLabel: string, pagePath: string) {
      const { page } = suite;
      if (page.viewportSize()!.width < 992) {
        await page.getByRole('button', { name: /打开菜单|Open menu/ }).click();
        await page.locator('.ant-drawer').getByText(menuLabel, { exact: true }).click();
      } else {
        await page.locator('.console-sider').getByText(menuLabel, { exact: true }).click();
      }
      await page.waitForURL(`**${pagePath}`);
    },
    async login(username: string, password: string) {
      const { page } = suite;
      await page.getByLabel(/用户名|Username/).fill(username);
      await page.getByLabel(/密码|Password/).fill(password);
      await page.getByRole('button', { name: /登\s*录|Log in/ }).click();
      await page.locator('.console-sider, .console-header-button').first().waitFor();
    },
    async logout() {
      const { page } = suite;
      const button = page.locator('.console-header').getByRole('button', { name: /退出登录|Log out/ });
      if (await button.isVisible()) {
        await button.click();
        await page.getByLabel(/用户名|Username/).waitFor();
      }
      // A page still loading shows no button yet while its session lives on: the cookie goes too.
      await page.context().clearCookies();
      // The next login starts from the console's home, not from the page the last one left.
      await page.goto(`${suite.base}/`);
      await page.getByLabel(/用户名|Username/).waitFor();
    },
    async loginAt(pagePath: string, username: string) {
      await suite.logout();
      await suite.page.goto(`${suite.base}${pagePath}`);
      await suite.login(username, demoPassword);
    },
    async dialog(hasText?: string) {
      const modal = suite.page.locator('.ant-modal', hasText === undefined ? {} : { hasText });
      await modal.waitFor();
      await suite.page.locator('.ant-modal.ant-zoom-appear, .ant-modal.ant-zoom-enter').waitFor({ state: 'detached' });
      return modal;
    },
    // The options may arrive after the dropdown opens, and a click during its opening animation can miss,
    // so the pick is tried again until it has taken.
    pickOption(form: Locator, label: string, option: string) {
      return suite.pickIn(form.locator('.ant-form-item', { has: suite.page.getByLabel(label, { exact: true }) }), option);
    },
    async choose(label: string | Locator, option: string, index = 0) {
      const { page } = suite;
      const select = typeof label === 'string' ? page.locator('.ant-select', { has: page.getByLabel(label, { exact: true }) }).nth(index)
        : selectIn(label);
      for (let attempt = 1; ; attempt++) {
        await select.click();
        await page.locator(`.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option[title="${option}"]`).last().click();
        try {
          await select.getByText(option, { exact: true }).waitFor({ timeout: 3000 });
          return;
        } catch (error) {
          if (attempt === 3) throw error;
        }
      }
    },
    async pickIn(field: Locator, option: string) {
      const { page } = suite;
      const select = selectIn(field);
      for (let attempt = 1; ; attempt++) {
        await select.click();
        await page.keyboard.type(option);
        // An option of a select, or a node of a tree select (its title alone, not a parent's).
        await page.locator('.ant-select-dropdown:visible').last().locator('.ant-select-item-option, .ant-select-tree-title', { hasText: option }).first().click();
        try {
          await select.locator('.ant-select-content, .ant-select-selection-item', { hasText: option }).first().waitFor({ timeout: 3000 });
          return;
        } catch (error) {
          if (attempt === 3) throw error;
          await page.keyboard.press('Tab');
        }
      }
    },
  } as BrowserSuite;

  before(async () => {
    suite.testDb = await createTestDb({ demo: true });
    suite.app = await buildApp({ db: suite.testDb.db, serveWeb: true, checkResponses: true });
    sequencer = startSequencer(suite.testDb.db, { intervalMs: 50 });
    // The command-centre screen's messages reach its stream through the relay, as `npm start` runs it.
    screenRelay = startScreenRelay(suite.testDb.db);
    // The modules' timers and job workers, as `npm start` runs them (the oversight stream, escalations, …).
    if (opts.workers) workers = [startSweeps(suite.testDb.db, timersOf(modules)), await startJobs(suite.testDb.db, queuesOf(modules))];
    suite.base = await suite.app.listen({ port: 0, host: '127.0.0.1' });
    await fs.mkdir(screenshots, { recursive: true });
    profileDir = await fs.mkdtemp(path.join(os.tmpdir(), 'yiwang-chromium-'));
    browser = await chromium.launchPersistentContext(profileDir, {
      executablePath: '/usr/bin/chromium',
      viewport: wide,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--no-first-run'],
    });
    suite.page = browser.pages()[0] ?? (await browser.newPage());
    // Two browser files run side by side with their servers and databases on two cores, and WebGL maps draw in
    // software: a step's wait ran out at 15 s on a loaded machine, the next steps of that file one after another.
    suite.page.setDefaultTimeout(30_000);
    suite.page.on('response', (response) => {
      if (response.status() < 400 || !response.url().includes('/api/')) return;
      const at = Date.now() - stepStarted;
      void response.json().catch(() => ({})) /* an answer without a JSON body still names its status */.then((body: { title?: string; detail?: string }) => refused.push(
        `${response.request().method()} ${new URL(response.url()).pathname} → ${response.status()} ${body.title ?? ''} ${body.detail ?? ''}`.trim()
        + ` (${at} ms)`));
    });
    suite.page.on('pageerror', (error) => scriptErrors.push(error.message));
    // What the Content-Security-Policy blocks is reported on the console only: it fails the step too.
    suite.page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) scriptErrors.push(message.text());
    });
  });

  afterEach(() => {
    const errors = scriptErrors.splice(0);
    assert.deepEqual(errors, [], 'no script errors on the page');
  });

  after(async () => {
    await browser?.close();
    await suite.app?.close();
    for (const worker of workers) await worker.stop();
    await screenRelay?.stop();
    await sequencer?.stop();
    await suite.testDb?.drop();
    if (profileDir) await fs.rm(profileDir, { recursive: true, force: true });
  });

  return suite;
}
