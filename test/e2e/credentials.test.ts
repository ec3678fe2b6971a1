// E-certificates in a real browser: the citizen's wallet at phone width, an "over 18 only" presentation
// made for the verification the public verifier page started (its nonce), accepted once and refused when
// shown again, then revoked by the issuer and refused by the verifier.
import { describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { demoPassword } from '../../src/demo.ts';
import { browserSuite, phone, wide } from './browser.ts';

const suite = browserSuite('credentials');
const { shot, sees, step, openPage } = suite;
let presentationLink = '';
let verifier: Page;
let holderName = '';

const verifierShot = (name: string) =>
  verifier.screenshot({ path: `test-results/credentials/${name}.png`, fullPage: true });

/** The verifier's first step on its page: start a verification and read the code the holder must present against. */
async function startVerification(page: Page): Promise<string> {
  await page.goto(`${suite.base}/verify`);
  await page.getByRole('button', { name: '发起核验' }).click();
  const nonce = (await page.getByTestId('verify-nonce').textContent())!.trim();
  assert.match(nonce, /^[A-Za-z0-9_-]{22}$/);
  return nonce;
}

describe('e-certificates', () => {
  step('citizen1 opens the wallet on a phone and sees the demo certificates with their claims', async () => {
    holderName = (await suite.testDb.db.query<{ display_name: string }>(`SELECT display_name FROM users WHERE username = 'citizen1'`)).rows[0]!.display_name;
    await suite.page.setViewportSize(phone);
    await suite.page.goto(`${suite.base}/`);
    await suite.login('citizen1', demoPassword);
    await openPage('我的证照', '/wallet');
    for (const name of ['居住证明', '营业执照', '结婚证']) await sees(name);
    const residence = suite.page.getByTestId('credential-residence-certificate');
    await residence.getByText('广安区公安分局').waitFor();
    await residence.getByText(holderName, { exact: true }).waitFor();
    await residence.getByText('年满18周岁').waitFor();
    const width = await suite.page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(width[0]! <= width[1]!, `wallet is ${width[0]}px wide in a ${width[1]}px window`);
    await shot('01-wallet-phone');
    await suite.page.getByText('English', { exact: true }).click();
    await sees('My e-certificates');
    await residence.getByText('Residence certificate').waitFor();
    await residence.getByText('Aged 18 or over').waitFor();
    await residence.getByText('Bind to this device').waitFor();
    await shot('01b-wallet-phone-en');
    await suite.page.getByText('中文', { exact: true }).click();
    await sees('我的电子证照');
  });

  step('the verifier starts a verification; the citizen presents "aged 18 or over" only against its code and gets a QR code', async () => {
    verifier = await suite.page.context().browser()?.newPage() ?? await suite.page.context().newPage();
    await verifier.context().clearCookies();
    await verifier.setViewportSize(phone);
    const nonce = await startVerification(verifier);
    await verifierShot('02a-verifier-started-phone');
    const residence = suite.page.getByTestId('credential-residence-certificate');
    await residence.getByRole('button', { name: /出\s*示/ }).click();
    const dialog = await suite.dialog();
    await dialog.getByText('出示居住证明').waitFor();
    await dialog.getByText(/^年满18周岁：是$/).click();
    await dialog.getByRole('button', { name: '生成出示码' }).click();
    await dialog.getByText('请填写核验方的核验码').waitFor();
    await dialog.getByLabel('核验方的核验码').fill(nonce);
    await dialog.getByRole('button', { name: '生成出示码' }).click();
    await dialog.getByText('仅出示：年满18周岁').waitFor();
    const qr = dialog.getByTestId('presentation-qr');
    await qr.waitFor();
    assert.ok((await qr.getAttribute('src'))!.startsWith('data:image/png;base64,'));
    presentationLink = (await dialog.getByTestId('presentation-link').getAttribute('href'))!;
    assert.match(presentationLink, /\/verify#ey[^~]+\.[^~]+\.[^~]+~[^~]+~[^~]+~ey[^~]+$/,
      'the issuer JWT, two disclosures (age_equal_or_over and 18) and the Key Binding JWT');
    await shot('02-presentation-qr');
    await dialog.getByRole('button', { name: /完\s*成/ }).click();
  });

  step('bound to this device, the marriage certificate is presented with a key only this browser holds', async () => {
    const marriage = suite.page.getByTestId('credential-marriage-certificate');
    await marriage.getByRole('button', { name: '绑定本设备' }).click();
    await suite.page.locator('.ant-popconfirm').getByRole('button', { name: '绑定本设备' }).click();
    await marriage.locator('.ant-tag', { hasText: '已绑定本设备' }).waitFor();
    const stored = await suite.testDb.db.query<{ holder_key: Buffer | null }>(
      `SELECT holder_key FROM credentials c JOIN users u ON u.id = c.holder_user_id WHERE u.username = 'citizen1' AND c.type = 'marriage-certificate'`);
    assert.equal(stored.rows[0]!.holder_key, null);
    const check = await suite.page.context().newPage();
    const nonce = await startVerification(check);
    await marriage.getByRole('button', { name: /出\s*示/ }).click();
    const dialog = await suite.dialog();
    await dialog.getByLabel('核验方的核验码').fill(nonce);
    await dialog.getByText(`姓名：${holderName}`).click();
    await dialog.getByRole('button', { name: '生成出示码' }).click();
    await dialog.getByText('出示码由本设备的密钥签名', { exact: false }).waitFor();
    await shot('02b-device-bound-presentation');
    const link = (await dialog.getByTestId('presentation-link').getAttribute('href'))!;
    await dialog.getByRole('button', { name: /完\s*成/ }).click();
    await check.goto(link);
    await check.getByTestId('verify-result').getByText('证照有效').waitFor();
    await check.getByTestId('verify-claims').getByText(holderName).waitFor();
    assert.equal(await check.getByTestId('verify-claims').locator('.ant-descriptions-row').count(), 1);
    await check.close();
  });

  step('the public verifier page, logged out, shows the presentation valid with only that claim, once', async () => {
    await verifier.goto(presentationLink);
    const result = verifier.getByTestId('verify-result');
    await result.getByText('证照有效').waitFor();
    await result.getByText('居住证明').waitFor();
    await result.getByText('广安区公安分局').waitFor();
    const claims = verifier.getByTestId('verify-claims');
    await claims.getByText('年满18周岁').waitFor();
    assert.equal(await claims.locator('.ant-descriptions-row').count(), 1);
    assert.equal(await claims.locator('.ant-descriptions-item-content').first().innerText(), '是');
    for (const hidden of [holderName, '出生日期', '公民身份号码', '居住地址']) assert.equal(await verifier.getByText(hidden).count(), 0, `${hidden} is not shown`);
    await verifierShot('03-verifier-valid-phone');
    // Shown again (to this or any verifier), the same presentation is a replay.
    await verifier.reload();
    await verifier.getByTestId('verify-problem').getByText('该出示已经核验过一次，不能重复使用', { exact: false }).waitFor();
    await verifier.getByTestId('verify-problem').getByText('credentials.nonce-used').waitFor();
    assert.equal(await verifier.getByTestId('verify-result').count(), 0);
    await verifierShot('03b-verifier-replay-refused');
  });

  step('the issuer (a platform admin here) revokes the certificate in the register', async () => {
    await suite.page.setViewportSize(wide);
    // Through the suite's logout, which waits for it: a navigation right after the click could cancel the logout's request.
    await suite.logout();
    await suite.login('admin', demoPassword);
    await openPage('电子证照登记', '/credential-register');
    const row = suite.page.locator('.ant-table-row', { hasText: holderName }).filter({ hasText: '居住证明' }).filter({ hasText: '有效' });
    await row.getByRole('button', { name: /吊\s*销/ }).click();
    const dialog = await suite.dialog();
    await dialog.getByRole('button', { name: /吊\s*销/ }).click();
    await dialog.getByText('请填写理由').waitFor();
    await dialog.getByText(/吊销后该证照立即失效，不能恢复/).waitFor();
    await dialog.getByText('持证人已不符合发证条件').click();
    assert.equal(await dialog.getByLabel(/理由/).inputValue(), '持证人已不符合发证条件', 'a common reason is one click away');
    await dialog.getByLabel(/理由/).fill('居住地已变更');
    await dialog.getByRole('button', { name: /吊\s*销/ }).click();
    await sees('已吊销，核验方立即可见');
    await suite.page.locator('.ant-table-row', { hasText: holderName }).filter({ hasText: '居住证明' }).getByText('已吊销').waitFor();
    await shot('04-register-revoked');
  });

  step('the same presentation is now refused as revoked, in English too', async () => {
    await verifier.reload();
    const problem = verifier.getByTestId('verify-problem');
    await problem.getByText('证照已被发证机关吊销').waitFor();
    await problem.getByText('credentials.revoked').waitFor();
    assert.equal(await verifier.getByTestId('verify-result').count(), 0);
    await verifierShot('05-verifier-revoked-phone');
    await verifier.getByText('English').click();
    await verifier.getByRole('button', { name: 'Verify' }).click();
    await verifier.getByTestId('verify-problem').getByText('The issuer has revoked the credential').waitFor();
    await verifier.getByText('Verify an e-certificate').waitFor();
    await verifierShot('06-verifier-revoked-en');
    await verifier.close();
  });
});
