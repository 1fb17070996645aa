// Screenshots for looking at pages: node shot.js <out-prefix> <role|-> <width> <url>...
const { chromium } = require('@playwright/test');
const { accounts } = require('./support/accounts');
(async () => {
  const [prefix, role, width, ...urls] = process.argv.slice(2);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const context = await browser.newContext({ locale: process.env.LANG_NL === '0' ? 'en-GB' : 'nl-NL', viewport: { width: Number(width), height: Number(process.env.H || 800) } });
  const page = await context.newPage();
  const base = process.env.BASE || 'http://127.0.0.1:8091';
  if (role !== '-') {
    await page.goto(base + '/inloggen');
    await page.getByLabel('E-mailadres').fill(accounts[role].email);
    await page.getByLabel('Wachtwoord').fill(accounts[role].password);
    await page.locator('main form').getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForLoadState('load');
  }
  let i = 0;
  for (const url of urls) {
    await page.goto(base + url);
    if (process.env.CLICK) { await page.locator(process.env.CLICK).first().click(); }
    const sw = await page.evaluate(() => document.documentElement.scrollWidth);
    console.log(url, 'scrollWidth', sw);
    await page.screenshot({ path: `${prefix}-${i++}.png`, fullPage: process.env.FULL === '1' });
  }
  await browser.close();
})();
