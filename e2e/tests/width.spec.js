// Every page of every role fits a phone (WCAG 1.4.10 reflow, issue 32): following the links
// from the home page as each role and in both languages, no page is wider than a 320 px window
// and none breaks a word in the middle at 1280 px,
// and at 375 px the header menu stays behind its button until it is opened. A page per path
// pattern (numbers as one) is enough: the same template with other data has the same layout;
// the long texts of the demo data are in it.
//
// The crawl reads pages without the per-page axe audit of the `stip` fixture (the other specs
// audit these pages at phone width; here it would take minutes), in a context of its own.
const { test, expect } = require('@playwright/test');
const { accounts } = require('../support/accounts');

const PHONE = { width: 320, height: 640 };
const WIDE = { width: 1280, height: 800 };
/** How many pages one crawl reads at most. */
const MOST_PAGES = 120;
/** Links not followed: files, feeds, the API, logging out, the language switch, joining. */
const SKIP_PREFIX = ['/uitloggen', '/api', '/static', '/agenda/', '/sso', '/meedoen', '/healthz', '/readyz', '/taal/', '/metrics'];
const SKIP_SUFFIX = ['.csv', '.xlsx', '.md', '.pdf', '.ics', '.json', '.svg', '.css', '.js', '.ods', '.png'];

function pattern(path) {
  return path.replace(/\d+/g, 'N');
}

async function crawl(browser, role, locale) {
  const context = await browser.newContext({ locale, viewport: PHONE });
  const page = await context.newPage();
  const base = process.env.STIP_URL;
  if (role !== 'anonymous') {
    const account = accounts[role];
    await page.goto(`${base}/inloggen`);
    await page.getByLabel(/E-mailadres|Email address/).fill(account.email);
    await page.getByLabel(/Wachtwoord|Password/).fill(account.password);
    await Promise.all([page.waitForNavigation(), page.locator('main form button[type=submit]').first().click()]);
  }
  const seen = new Set();
  const queue = ['/'];
  const wide = [];
  const broken = [];
  let read = 0;
  while (queue.length && read < MOST_PAGES) {
    const href = queue.shift();
    const path = href.split('?')[0];
    if (seen.has(pattern(path))) continue;
    seen.add(pattern(path));
    const response = await page.goto(base + href);
    if (!response || response.status() !== 200 || !(response.headers()['content-type'] || '').startsWith('text/html')) continue;
    read += 1;
    const { width, widest } = await page.evaluate(() => {
      const width = document.documentElement.scrollWidth;
      // Where it starts: the outermost elements that stick out while their parent does not
      // (an element inside a scrolling box does not widen the page).
      const out = (el) => el.getBoundingClientRect().right > window.innerWidth + 1;
      const scrolls = (el) => {
        for (let a = el.parentElement; a; a = a.parentElement) {
          if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(a).overflowX)) return true;
        }
        return false;
      };
      const widest = [...document.querySelectorAll('main *, header *')]
        .filter((el) => out(el) && !out(el.parentElement) && !scrolls(el))
        .slice(0, 3)
        .map((el) => `${el.tagName.toLowerCase()}${typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : ''} "${(el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40)}"`)
        .join('; ');
      return { width, widest };
    });
    if (width > PHONE.width + 1) wide.push(`${href}: ${width} px (${widest})`);
    // At 1280 px no word is broken in the middle: a word (between spaces and hyphens) is drawn
    // on one line. (At 320 px a long Dutch compound may have to be hyphenated, which browsers
    // do with their dictionaries, `hyphens: auto`; this headless one has none.)
    await page.setViewportSize(WIDE);
    const split = await page.evaluate(() => {
      const found = [];
      const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node && found.length < 3; node = walker.nextNode()) {
        const text = node.textContent;
        const parent = node.parentElement;
        if (!parent || parent.closest('.visually-hidden, script, style, svg, .join-url, code, .code') || !parent.getClientRects().length) continue;
        for (const m of text.matchAll(/[^\s\-–/]{4,}/g)) {
          if (/[@:.]|\d{3,}/.test(m[0])) continue;
          const range = document.createRange();
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (tops.size > 1) { found.push(m[0]); break; }
        }
      }
      return found;
    });
    if (split.length) broken.push(`${href}: ${split.join(', ')}`);
    await page.setViewportSize(PHONE);
    const links = await page.evaluate(() => [...document.querySelectorAll('a[href^="/"]')].map((a) => a.getAttribute('href')));
    for (const link of links) {
      const target = link.split('#')[0];
      const p = target.split('?')[0];
      if (!target || SKIP_PREFIX.some((s) => p.startsWith(s)) || SKIP_SUFFIX.some((s) => p.endsWith(s))) continue;
      if (!seen.has(pattern(p))) queue.push(target);
    }
  }
  await context.close();
  return { wide, broken, read };
}

for (const role of ['anonymous', 'lezer', 'horizon', 'regiegroep', 'beheerder']) {
  for (const locale of ['nl-NL', 'en-GB']) {
    test(`every page ${role} reaches fits 320 px (${locale})`, async ({ browser }) => {
      test.setTimeout(180_000);
      const { wide, broken, read } = await crawl(browser, role, locale);
      expect(read, 'pages read').toBeGreaterThan(role === 'anonymous' ? 5 : 20);
      expect(wide, `pages wider than ${PHONE.width} px`).toEqual([]);
      expect(broken, 'words broken in the middle at 1280 px').toEqual([]);
    });
  }
}

test('at 375 px the header menu is behind its button, and opens by keyboard', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'nl-NL', viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${process.env.STIP_URL}/projecten`);
  const menu = page.locator('header summary');
  await expect(menu).toHaveText(/Menu/);
  const portfolio = page.locator('header').getByRole('link', { name: 'Portfolio' });
  await expect(portfolio).toBeHidden();
  const header = await page.locator('header').boundingBox();
  expect(header.height, 'the closed header is one line').toBeLessThan(80);
  await menu.focus();
  await page.keyboard.press('Enter');
  await expect(portfolio).toBeVisible();
  await expect(page.locator('header').getByRole('link', { name: 'Inloggen' })).toBeVisible();
  // At 1280 px there is no button: the menu is simply there.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.reload();
  await expect(menu).toBeHidden();
  await expect(portfolio).toBeVisible();
  await context.close();
});
