// The first hour of a new user: a citizen finds the way in from the public home, signs up (each field's
// problem under the field), lands on 我的办事 and reports with the form prefilled from the account. Then every
// page of every demo login, in Chinese and English, is read for untranslated keys, raw codes and fullwidth
// punctuation in English labels.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import { allDemoLogins, demoPassword } from '../../src/demo.ts';
import { residentIdCheckChar } from '../../src/kernel/checks/index.ts';
import { browserSuite, pageWalk, phone, wide } from './browser.ts';

const suite = browserSuite('first-hour');
const { shot, sees, step } = suite;

async function fitsScreen(where: string): Promise<void> {
  const { scrollWidth, innerWidth } = await suite.page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  assert.ok(scrollWidth <= innerWidth, `${where}: page is ${scrollWidth}px wide in a ${innerWidth}px window`);
}

async function setLanguage(language: 'zh-CN' | 'en'): Promise<void> {
  await suite.page.evaluate((l) => localStorage.setItem('yiwang.language', l), language);
  await suite.page.reload();
}

const idBody = '51160219920315123';
const idNumber = `${idBody}${residentIdCheckChar(idBody)}`;
const wrongCheck = `${idBody}${residentIdCheckChar(idBody) === '0' ? '1' : '0'}`;

describe('the first hour of a citizen, and every page in both languages', () => {
  step('the public home offers services, reporting, tracking, verifying and one login, at desktop and phone size', async () => {
    const { page } = suite;
    await page.goto(`${suite.base}/`);
    for (const entry of ['政务服务', '我要反映', '办理进度', '证照核验']) await page.getByRole('link', { name: entry }).waitFor();
    await sees(/工作人员登录后进入工作台/);
    await shot('01-home-zh-1440');
    await page.getByRole('link', { name: '政务服务' }).click();
    await page.waitForURL('**/services');
    await page.goBack();
    await page.setViewportSize(phone);
    await page.getByRole('link', { name: '我要反映' }).waitFor();
    await fitsScreen('home on a phone');
    await shot('02-home-zh-390');
    await setLanguage('en');
    for (const entry of ['Government services', 'Report a problem', 'Track a report', 'Verify a certificate']) await page.getByRole('link', { name: entry }).waitFor();
    await fitsScreen('home on a phone, English');
    await shot('03-home-en-390');
    await page.setViewportSize(wide);
    await shot('04-home-en-1440');
    await setLanguage('zh-CN');
  });

  step('a visitor\'s pages ask for nothing they are refused: no 4xx answer and no console error (a 401 for the session, say)', async () => {
    const { page } = suite;
    await page.context().clearCookies();
    const problems: string[] = [];
    const onResponse = (r: { status(): number; url(): string }) => { if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`); };
    const onConsole = (m: { type(): string; text(): string }) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); };
    page.on('response', onResponse);
    page.on('console', onConsole);
    try {
      for (const path of ['/', '/services', '/report', '/status', '/verify', '/signup']) {
        await page.goto(`${suite.base}${path}`);
        await page.waitForLoadState('networkidle');
        await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' });
      }
    } finally {
      page.off('response', onResponse);
      page.off('console', onConsole);
    }
    assert.deepEqual(problems, []);
    await page.goto(`${suite.base}/`);
  });

  step('sign-up says what is wrong under each field, then logs the citizen in to 我的办事', async () => {
    const { page } = suite;
    await page.getByRole('link', { name: '市民注册' }).click();
    await page.waitForURL('**/signup');
    const form = page.getByTestId('signup-form');
    await form.getByLabel('姓名').fill('赵新民');
    await form.getByLabel('公民身份号码').fill(wrongCheck);
    await form.getByLabel('手机号码').fill('1381234');
    await form.getByLabel('用户名').fill('zhao_xinmin');
    await form.getByLabel('密码', { exact: true }).fill('short');
    await form.getByLabel('再次输入密码').fill('other');
    await form.getByRole('button', { name: '注册并登录' }).click();
    await form.getByText('身份证号码不正确（18 位，最后一位为校验码）').waitFor();
    await form.getByText('请填写 11 位手机号码').waitFor();
    await form.getByText('两次输入的密码不一致').waitFor();
    await shot('05-signup-errors');
    await form.getByLabel('公民身份号码').fill(idNumber);
    await form.getByLabel('手机号码').fill('13812345678');
    // Long enough for the form; the server finds it too common and says so under the field.
    await form.getByLabel('密码', { exact: true }).fill('password123');
    await form.getByLabel('再次输入密码').fill('password123');
    await form.getByRole('button', { name: '注册并登录' }).click();
    await form.locator('.ant-form-item', { hasText: '密码' }).getByText('密码强度不足').first().waitFor();
    await form.getByLabel('密码', { exact: true }).fill('Guangan-2026!');
    await form.getByLabel('再次输入密码').fill('Guangan-2026!');
    await form.getByRole('button', { name: '注册并登录' }).click();
    await page.waitForURL('**/my-services');
    await page.locator('.console-sider').getByText('我的办事', { exact: true }).waitFor();
    await shot('06-signed-up-my-services');
  });

  step('我要反映 is prefilled with the citizen\'s name and phone from the account', async () => {
    const { page } = suite;
    await page.goto(`${suite.base}/report`);
    await page.waitForFunction(() => (document.querySelector<HTMLInputElement>('#contactPhone')?.value ?? '') !== '');
    assert.equal(await page.locator('#contactName').inputValue(), '赵新民');
    assert.equal(await page.locator('#contactPhone').inputValue(), '13812345678');
    await shot('07-report-prefilled');
  });

  step('an existing demo citizen also lands on 我的办事 after logging in', async () => {
    const { page } = suite;
    await page.goto(`${suite.base}/my-services`);
    await suite.logout();
    await suite.login('citizen1', demoPassword);
    await page.waitForURL('**/my-services');
    await suite.logout();
  });

  step('no page of any demo login shows a raw code, an untranslated key or (in English) a fullwidth label', async () => {
    const { page } = suite;
    const found: string[] = [];
    for (const { username } of allDemoLogins()) {
      await page.goto(`${suite.base}/`);
      await suite.login(username, demoPassword);
      for (const language of ['zh-CN', 'en'] as const) {
        await setLanguage(language);
        const items = page.locator('.console-sider .ant-menu-item');
        await items.first().waitFor();
        const count = await items.count() - 1; // the last is the API documentation, a page of its own
        for (let i = 0; i < count; i++) {
          await items.nth(i).click();
          await page.waitForTimeout(300);
          await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached', timeout: 3000 }).catch(() => undefined); // a page that keeps a spinner is read as it is
          const where = `${username} ${language} ${new URL(page.url()).pathname}`;
          for (const problem of await rawTextProblems(language)) found.push(`${where}: ${problem}`);
        }
      }
      await setLanguage('zh-CN');
      await page.evaluate(() => fetch('/api/v1/auth/logout', { method: 'POST' }));
    }
    assert.deepEqual([...new Set(found)], []);
  }, { skip: pageWalk });
});

/**
 * What a reader would take for a code on the current page: i18n keys and codes (kebab-case, snake_case,
 * dotted), users shown by id, and in English fullwidth punctuation in labels. Values that are codes by
 * nature (receipt numbers, hashes, usernames, catalogue codes) are shown in `.mono` and skipped.
 */
async function rawTextProblems(language: 'zh-CN' | 'en'): Promise<string[]> {
  return suite.page.evaluate((lang) => {
    const main = document.querySelector('.console-content') ?? document.body;
    const texts: string[] = [];
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('.mono, code, pre, input, textarea, [aria-hidden="true"], .ant-select-selection-search')) continue;
      const text = node.textContent?.trim();
      if (text) texts.push(text);
    }
    const problems: string[] = [];
    const patterns: [string, RegExp][] = [
      ['dotted code', /\b[a-z][a-zA-Z]*\.[a-z][a-zA-Z-]*(?:\.[a-zA-Z-]+)*\b/g],
      ['kebab-case code', /\b[a-z]+(?:-[a-z0-9]+)+\b/g],
      ['snake_case code', /\b[a-z]+_[a-z0-9_]+\b/g],
      ['user by id', /\buser \d+\b/g],
    ];
    // Hyphenated English words and abbreviations the English labels use: words, not codes.
    const englishWords = new Set(['e.g', 'i.e', 'make-up', 're-dispatch', 're-dispatched', 'open-ended', 'e-certificate', 'e-certificates', 'dry-run',
      'co-reply', 'co-handler', 'co-handlers', 'co-handling', 'check-digit', 'one-stop', 'one-off', 'lower-case', 'sub-category',
      'non-match', 'clean-up', 'follow-up', 'base-library', 'built-in', 'up-to-date', 'day-to-day', 'monday-to-friday', 'in-person']);
    for (const text of texts) {
      // Addresses of the platform's own pages are not codes.
      if (/^(?:https?|www)\b/.test(text)) continue;
      for (const [kind, pattern] of patterns) {
        const match = [...text.matchAll(pattern)].map((m) => m[0])
          // Documents named by their file and English words are not codes either.
          .find((word) => !/\.(?:pdf|png|jpe?g|json|csv)$/.test(word) && !englishWords.has(word.toLowerCase()));
        if (match) problems.push(`${kind} "${match}" in "${text.slice(0, 80)}"`);
      }
    }
    if (lang === 'en') {
      const labels = main.querySelectorAll('label, th, button, .ant-descriptions-item-label, .ant-card-head-title, .ant-tabs-tab, .ant-statistic-title');
      for (const label of labels) {
        const text = label.textContent ?? '';
        if (/[：，；（）]/.test(text)) problems.push(`fullwidth punctuation in the English label "${text.slice(0, 60)}"`);
      }
    }
    return problems;
  }, language);
}
