// The test fixture every spec uses: `stip` wraps the page with the checks a person relies on.
//
// Every document the page loads must pass `stip.audit()` (axe-core, WCAG 2.1 A and AA) before the
// test moves on; a navigation that was never audited fails the test at its end, so "every page
// the suite visits" is enforced, not hoped for. Each audit keeps a full-page screenshot; when a
// test fails they are written to target/e2e/pages/<test>/ (E2E_SCREENSHOTS=always keeps them for
// passing tests too).
const fs = require('node:fs');
const path = require('node:path');
const base = require('@playwright/test');
const { expect } = base;
const { accounts } = require('./accounts');

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const audited = new Map();
const SHOTS = path.join(__dirname, '..', '..', 'target', 'e2e', 'pages');

function slug(text) {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 80);
}

class Stip {
  constructor(page, testInfo, prefix = '') {
    this.page = page;
    this.prefix = prefix;
    this.testInfo = testInfo;
    this.documents = [];
    this.shots = [];
    this.others = [];
    this.waiters = [];
    this.pending = null;
    // The final (non-redirect) response of a main-frame navigation arrives before the new
    // document commits; a commit without one is a same-document move (an in-page #link).
    page.on('response', (response) => {
      const request = response.request();
      if (request.isNavigationRequest() && request.frame() === page.mainFrame() && !(response.status() >= 300 && response.status() < 400)) {
        this.pending = response;
      }
    });
    page.on('framenavigated', (frame) => {
      if (frame !== page.mainFrame() || !frame.url().startsWith('http') || !this.pending) return;
      this.documents.push({ url: frame.url(), audited: false, response: this.pending });
      this.pending = null;
      for (const waiter of this.waiters.splice(0)) waiter();
    });
  }

  /** The page's current path with its query, e.g. `/projecten?status=rood`. */
  path() {
    const url = new URL(this.page.url());
    return url.pathname + url.search;
  }

  /**
   * Runs axe-core on the page as it is now, fails on any WCAG 2.1 A/AA violation, and keeps a
   * screenshot. Call it after every navigation (and after a change worth checking on the page).
   */
  async audit(label = '') {
    const page = this.page;
    await page.waitForLoadState('load');
    const t0 = Date.now();
    const name = `${this.prefix}${String(this.shots.length + 1).padStart(2, '0')}-${slug(label || this.path()) || 'home'}`;
    this.shots.push({ name, image: await page.screenshot({ fullPage: true, type: 'jpeg', quality: 60 }) });
    const t1 = Date.now();
    // A document identical to one audited before in this worker (same markup apart from the CSRF
    // token, same window size, same focus) has the same result; axe runs once for it.
    const key = await page.evaluate(() => {
      const html = document.documentElement.outerHTML.replace(/name="csrf" value="[^"]*"/g, '');
      let hash = 5381;
      for (let i = 0; i < html.length; i += 1) hash = ((hash * 33) ^ html.charCodeAt(i)) >>> 0;
      const active = document.activeElement;
      return `${window.innerWidth}x${window.innerHeight} ${active && active.id} ${html.length} ${hash}`;
    });
    let found = audited.get(key);
    if (!found) {
      // Evaluated through the DevTools protocol, so the page's CSP (no inline scripts) still holds.
      if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE_SOURCE);
      const result = await page.evaluate(
        (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
        WCAG_21_AA,
      );
      found = result.violations.flatMap((v) =>
        v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help} — ${n.target.join(' ')} — ${n.failureSummary.replace(/\s*\n\s*/g, ' ')}`),
      );
      audited.set(key, found);
    }
    if (process.env.E2E_TIMING) console.log(`audit ${this.path()} ${Date.now() - t0}ms (shot ${t1 - t0}ms)`);
    const last = this.documents[this.documents.length - 1];
    if (last) last.audited = true;
    expect(found, `WCAG 2.1 A/AA violations on ${this.path()}`).toEqual([]);
  }

  /** Goes to `url`, expects the HTTP status, and audits the page. Returns the response. */
  async visit(url, { status = 200, label } = {}) {
    const response = await this.page.goto(url);
    expect(response.status(), `HTTP status of ${url}`).toBe(status);
    await this.audit(label || url);
    return response;
  }

  /** Logs in through the form as one of the demo accounts (see accounts.js). */
  async login(role) {
    const account = accounts[role];
    const page = this.page;
    await this.visit('/inloggen');
    await page.getByLabel('E-mailadres').fill(account.email);
    await page.getByLabel('Wachtwoord').fill(account.password);
    await this.click(page.locator('main form').getByRole('button', { name: 'Inloggen' }), { label: `after login as ${role}` });
    expect(this.path()).not.toMatch(/^\/inloggen/);
    await expect(page.locator('.account .who')).toContainText(account.name);
  }

  /** Logs out with the button in the header. */
  async logout() {
    const page = this.page;
    await this.click(page.locator('header').getByRole('button', { name: /Uitloggen|Log out/ }), { label: 'after logout' });
    await expect(page.locator('header').getByRole('link', { name: /Inloggen|Log in/ })).toBeVisible();
  }

  /**
   * Does `action` (a click, a key press) that loads a new document, waits until that document
   * has loaded, expects its HTTP status, and audits it. Returns the document's response.
   */
  async navigate(action, { status = 200, label } = {}) {
    const committed = new Promise((resolve) => this.waiters.push(resolve));
    await action();
    await committed;
    await this.page.waitForLoadState('load');
    const response = this.documents[this.documents.length - 1].response;
    expect(response && response.status(), `HTTP status of ${this.path()}`).toBe(status);
    await this.audit(label || this.path());
    return response;
  }

  /** Clicks a link or button that loads a new document; see `navigate`. */
  async click(locator, options) {
    return this.navigate(() => locator.click(), options);
  }

  /** Presses a key (e.g. Enter on a focused link or button) that loads a new document. */
  async press(key, options) {
    return this.navigate(() => this.page.keyboard.press(key), options);
  }

  /**
   * A second person in the same test (own browser context and session), e.g. for the conflict
   * case; logged in as `role` when given. Audited and finished together with this one.
   */
  async another(browser, role) {
    const context = await browser.newContext({ baseURL: process.env.STIP_URL, locale: 'nl-NL', viewport: { width: 1280, height: 800 } });
    const other = new Stip(await context.newPage(), this.testInfo, `${this.prefix}p${this.others.length + 2}-`);
    this.others.push({ other, context });
    if (role) await other.login(role);
    return other;
  }

  /** A second tab of this same person (same browser context, same session). */
  async anotherTab() {
    const other = new Stip(await this.page.context().newPage(), this.testInfo, `${this.prefix}t${this.others.length + 2}-`);
    this.others.push({ other, context: null });
    return other;
  }

  async finish() {
    for (const { other, context } of this.others) {
      await other.finish();
      if (context) await context.close();
      else await other.page.close();
    }
    const info = this.testInfo;
    const failed = info.status !== info.expectedStatus;
    if (failed || process.env.E2E_SCREENSHOTS === 'always') {
      const dir = path.join(SHOTS, slug(info.titlePath.slice(1).join(' ')));
      fs.mkdirSync(dir, { recursive: true });
      for (const shot of this.shots) fs.writeFileSync(path.join(dir, `${shot.name}.jpg`), shot.image);
    }
    if (!failed) {
      const unaudited = this.documents.filter((d) => !d.audited).map((d) => d.url);
      expect(unaudited, 'pages this test visited without an accessibility audit').toEqual([]);
    }
  }
}

const test = base.test.extend({
  stip: async ({ page }, use, testInfo) => {
    const stip = new Stip(page, testInfo);
    await use(stip);
    await stip.finish();
  },
});

module.exports = { test, expect, Stip };
