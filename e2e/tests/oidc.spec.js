// Logging in with SURFconext (issue 17) against a real OpenID Connect provider: panva's
// oidc-provider, started by this spec behind a proxy that can tamper with the ID token or be down
// (support/oidc-provider.js), with a Stip of this spec's own that trusts it (its own port, fresh
// database, demo data). A teacher logs in and out (RP-initiated logout at the provider), comes
// back with a changed name and is still one account; every way it can go wrong is a Dutch page
// with a way back, never a 500: a state that does not match or a callback used twice, a forged ID
// token, an institution that is not in Stip, the provider unreachable (before and after Stip met
// it, and between the provider's login and the callback). An existing password account is linked
// with its password; the beheerder restricts password login to beheerders and picks the role of
// new SSO accounts (form and API). Last, the provider rotates its signing key and login still
// works. Stip's own pages are audited with axe at 1280 and at 375 px; the provider's pages are
// not Stip's and are not audited.
const path = require('node:path');
const { test: base, expect, Stip } = require('../support/fixtures');
const { expectNoHorizontalScroll } = require('../support/checks');
const { accounts } = require('../support/accounts');
const { startSsoWorld, decodeJwt } = require('../support/oidc-provider');

const STIP_BIN = process.env.STIP_BIN || path.join(__dirname, '..', '..', 'target', 'debug', 'stip');
const LOG_FILE = path.join(__dirname, '..', '..', 'target', 'e2e', 'oidc-server.log');
const SSO_LINK = 'Inloggen met je instellingsaccount (SURFconext)';
const FAILED = 'Inloggen is niet gelukt';
const WIDE = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 800 };

/**
 * The provider's accounts, by the login typed in its form, which is also their `sub`; the tests
 * change them.
 */
const PEOPLE = {
  'docent-horizon': {
    name: 'Henk Docent',
    given_name: 'Henk',
    family_name: 'Docent',
    email: 'henk.docent@horizon.demo',
    schac_home_organization: 'horizon.demo',
  },
  onbekend: { name: 'Olga Onbekend', email: 'olga.onbekend@onbekend.nl', schac_home_organization: 'onbekend.nl' },
  daan: { name: 'Daan DaVinci', email: accounts.davinci.email, schac_home_organization: 'davinci.demo' },
  'nieuw-horizon': { name: 'Nina Nieuw', email: 'nina.nieuw@horizon.demo', schac_home_organization: 'horizon.demo' },
};
const HENK = PEOPLE['docent-horizon'];

/** The provider, its proxy and this spec's Stip: shared by the tests, which run in order. */
let world;

// The spec's own Stip is every page's base URL. (Playwright also resolves this for the hooks,
// before beforeAll has started that Stip.)
const test = base.extend({
  baseURL: async ({}, use) => use(world && world.stipUrl),
});
// One at a time, in this order, on one worker (they share the provider and the server). Not
// `serial`: a failing test does not skip the rest; Playwright goes on in a new worker, where
// beforeAll starts a fresh provider and Stip.
test.describe.configure({ mode: 'default' });

test.beforeAll(async () => {
  test.setTimeout(90_000);
  // The proxy starts `down`: whatever Stip does at start, it cannot have discovered the provider.
  world = await startSsoWorld({ bin: STIP_BIN, people: PEOPLE, mode: 'down', logFile: LOG_FILE });
});

test.beforeEach(() => {
  world.proxy.setMode('pass');
});

test.afterAll(async () => {
  if (world) await world.stop();
});

// ---- Helpers -------------------------------------------------------------------------------

const contextsSeen = new WeakSet();

/** The provider's pages load a web font from the internet: refused at once, so `load` comes. */
async function offline(page) {
  const context = page.context();
  if (contextsSeen.has(context)) return;
  contextsSeen.add(context);
  await context.route(/^https?:\/\/fonts\.(googleapis|gstatic)\.com\//, (route) => route.abort());
}

/** The provider's pages are not Stip's: they are not audited (the fixture would ask for it). */
function skipProviderPages(stip) {
  for (const doc of stip.documents) if (doc.url.startsWith(`${world.issuer}/`)) doc.audited = true;
}

/**
 * Logs in with a demo account's password from `/inloggen?terug=…` (by default to the light
 * `/account` page rather than the home page); expects `status` and audits the page.
 */
async function passwordLogin(stip, role, { terug = '/account', status = 200, label } = {}) {
  const account = accounts[role];
  const page = stip.page;
  await stip.visit(`/inloggen?terug=${terug}`);
  await page.getByLabel('E-mailadres').fill(account.email);
  await page.getByLabel('Wachtwoord').fill(account.password);
  await stip.click(page.locator('main form').getByRole('button', { name: 'Inloggen' }), { status, label: label || `after login as ${role}` });
  if (status === 200) {
    expect(stip.path()).toBe(terug);
    await expect(page.locator('header .who')).toHaveText(`${account.name} (${account.role})`);
  }
}

/**
 * A second person in this test, with a browser of their own (and no provider session); logged
 * in with a password as `role` when given.
 */
async function another(stip, browser, role, terug) {
  const context = await browser.newContext({ baseURL: world.stipUrl, locale: 'nl-NL', viewport: WIDE });
  const other = new Stip(await context.newPage(), stip.testInfo, `${stip.prefix}p${stip.others.length + 2}-`);
  stip.others.push({ other, context });
  await offline(other.page);
  if (role) await passwordLogin(other, role, { terug });
  return other;
}

/** Audits the page once more at 375 px (no sideways scrolling either), then goes back to 1280. */
async function auditPhone(stip, what) {
  const page = stip.page;
  await page.setViewportSize(PHONE);
  await stip.audit(`${what} at 375px`);
  await expectNoHorizontalScroll(page, `${what} at 375px`);
  await page.setViewportSize(WIDE);
}

/** Waits for the provider's login form (reached from Stip) and signs in as `login`. */
async function providerLoginForm(stip, login) {
  const page = stip.page;
  await page.waitForURL((url) => url.href.startsWith(`${world.issuer}/interaction/`));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  return page.getByRole('button', { name: 'Sign-in' });
}

/**
 * Signs in at the provider's form (already on its way) as `login`, and waits for the Stip page
 * that follows: expects its status and audits it.
 */
async function signInAt(stip, login, { status = 200, label } = {}) {
  const button = await providerLoginForm(stip, login);
  const response = await stip.navigate(() => button.click(), { status, label: label || `after SSO login as ${login}` });
  skipProviderPages(stip);
  return response;
}

/**
 * From the login page (`/inloggen?terug=…`, by default back to `/account`; `terug: null` for
 * none), through the SURFconext link and the provider's form, back to Stip.
 */
async function ssoLogin(stip, login, { terug = '/account', ...options } = {}) {
  const page = stip.page;
  await offline(page);
  await stip.visit(terug === null ? '/inloggen' : `/inloggen?terug=${terug}`);
  await page.getByRole('link', { name: SSO_LINK }).click();
  return signInAt(stip, login, options);
}

/**
 * Does `action`, which makes the browser ask Stip for `pathname`, and expects Stip to answer
 * that itself with `status` (a page, not a redirect to the provider, which the browser could not
 * reach); then audits the page as `stip.navigate` does.
 */
async function stipAnswers(stip, action, { pathname, status, label }) {
  const page = stip.page;
  const answer = page.waitForResponse((r) => r.request().isNavigationRequest() && new URL(r.url()).pathname === pathname);
  const navigated = stip.navigate(action, { status, label });
  navigated.catch(() => {});
  const response = await answer;
  const location = response.headers().location || '';
  expect(location.startsWith(world.issuer), `${pathname} answers ${response.status()} ${location}: not a redirect to the unreachable provider`).toBe(false);
  await navigated;
  return response;
}

/** Stip's callback, where the provider sends the browser back with the code. */
function isCallback(url) {
  return url.origin === world.stipUrl && url.pathname === '/inloggen/oidc/terug';
}

/**
 * Signs in at the provider's form (already on its way), but the redirect back to Stip is held
 * by the proxy: the browser never goes there. Resolves with the callback's URL.
 */
async function holdCallback(stip, login) {
  const page = stip.page;
  const button = await providerLoginForm(stip, login);
  const held = world.proxy.catchRedirect(isCallback, { hold: true });
  await button.click();
  const url = new URL(await held);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Held by the test proxy');
  skipProviderPages(stip);
  return url;
}

/** A Stip failure page: its heading, text, the way back, nobody logged in; audited at 375 px too. */
async function expectFailure(stip, { heading = FAILED, text, what }) {
  const page = stip.page;
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(heading);
  for (const t of [].concat(text || [])) await expect(page.locator('main')).toContainText(t);
  const retry = page.locator('main').getByRole('link', { name: 'Opnieuw inloggen' });
  await expect(retry).toHaveCount(1);
  expect(await retry.getAttribute('href'), 'the retry link goes back to logging in').toMatch(/^\/inloggen/);
  await expect(page.locator('header .who')).toHaveCount(0);
  await auditPhone(stip, what);
}

/** Nobody is logged in: a page for logged-in people sends to the login page. */
async function expectLoggedOut(stip) {
  await stip.visit('/account');
  expect(stip.path(), 'GET /account without a session goes to the login page').toMatch(/^\/inloggen/);
}

/**
 * Logs out with the header's button: Stip ends its session and sends the browser to the
 * provider's end_session_endpoint (id_token_hint, post_logout_redirect_uri), whose confirmation
 * is accepted; ends on Stip's home page, logged out. Returns the end-session request's query.
 */
async function ssoLogout(stip, login) {
  const page = stip.page;
  // What the browser says meanwhile (a Content-Security-Policy that blocks the redirect, say).
  const said = [];
  const listen = (m) => said.push(m.text());
  page.on('console', listen);
  const endSession = page.waitForRequest((r) => r.url().startsWith(`${world.issuer}/session/end`), { timeout: 10_000 }).catch(() => null);
  await page.locator('header').getByRole('button', { name: 'Uitloggen' }).click();
  const request = await endSession;
  page.off('console', listen);
  expect(request, `the browser went to the provider's end_session_endpoint after "Uitloggen" (now at ${page.url()}; console: ${said.join(' | ') || 'nothing'})`).not.toBeNull();
  const query = new URL(request.url()).searchParams;
  await page.waitForURL((url) => url.href.startsWith(`${world.issuer}/session/end`));
  expect(query.get('post_logout_redirect_uri')).toBe(`${world.stipUrl}/`);
  const hint = query.get('id_token_hint');
  expect(hint, 'the logout carries the ID token as id_token_hint').toBeTruthy();
  expect(decodeJwt(hint).payload).toMatchObject({ sub: login, aud: 'stip', iss: world.issuer });
  await stip.navigate(() => page.getByRole('button', { name: 'Yes, sign me out' }).click(), { label: 'after logout at the provider' });
  skipProviderPages(stip);
  expect(stip.path()).toBe('/');
  await expect(page.locator('header .who')).toHaveCount(0);
  await expect(page.locator('header').getByRole('link', { name: 'Inloggen' })).toBeVisible();
  return query;
}

/** The rows of the beheerder's user list (open) that show `email`. */
function userRows(admin, email) {
  expect(admin.path()).toBe('/beheer/gebruikers');
  return admin.page.locator('main table tbody tr').filter({ hasText: email });
}

/** The requests the proxy passed on to the provider since `from` (an index), at `pathname`. */
function providerRequests(from, pathname) {
  return world.proxy.requests.slice(from).filter((r) => r.path === pathname);
}

// ---- The tests -----------------------------------------------------------------------------

test('SURFconext unreachable before Stip has met it: a page that says so, and logging in works once it is back', async ({ stip, page }) => {
  expect(providerRequests(0, '/.well-known/openid-configuration'), 'Stip has not discovered the provider yet').toEqual([]);
  world.proxy.setMode('down');
  await offline(page);
  await stip.visit('/inloggen');
  await stipAnswers(stip, () => page.getByRole('link', { name: SSO_LINK }).click(), { pathname: '/inloggen/oidc', status: 503, label: 'SURFconext down' });
  await expectFailure(stip, { text: 'SURFconext is nu niet bereikbaar', what: 'SURFconext down before discovery' });

  world.proxy.setMode('pass');
  // Without a `terug`, the login ends on the home page.
  await ssoLogin(stip, 'docent-horizon', { terug: null });
  expect(stip.path()).toBe('/');
  await expect(page.locator('header .who')).toHaveText(`${HENK.name} (lezer)`);
});

test('the login page offers SURFconext; its link starts the code flow with PKCE S256, state and nonce', async ({ stip, page }) => {
  await stip.visit('/inloggen');
  const link = page.getByRole('link', { name: SSO_LINK });
  await expect(link).toBeVisible();
  expect(await link.getAttribute('href')).toMatch(/^\/inloggen\/oidc(\?|$)/);
  // Beside the password form, which stays.
  await expect(page.getByLabel('Wachtwoord')).toBeVisible();
  await auditPhone(stip, 'login page with the SURFconext link');

  const discovery = await (await fetch(`${world.issuer}/.well-known/openid-configuration`)).json();
  const starts = [];
  for (let i = 0; i < 2; i += 1) {
    const response = await page.request.get('/inloggen/oidc?terug=/projecten', { maxRedirects: 0 });
    expect(response.status(), 'GET /inloggen/oidc redirects with 302, as the issue says').toBe(302);
    const location = new URL(response.headers().location);
    expect(location.origin + location.pathname).toBe(discovery.authorization_endpoint);
    const q = location.searchParams;
    expect([...q.keys()].sort(), 'the authorization request carries exactly these parameters').toEqual(
      ['client_id', 'code_challenge', 'code_challenge_method', 'nonce', 'redirect_uri', 'response_type', 'scope', 'state'],
    );
    expect(q.get('response_type')).toBe('code');
    expect(q.get('client_id')).toBe('stip');
    expect(q.get('redirect_uri')).toBe(`${world.stipUrl}/inloggen/oidc/terug`);
    expect(q.get('scope').split(' ')).toEqual(expect.arrayContaining(['openid', 'profile', 'email']));
    expect(q.get('code_challenge_method')).toBe('S256');
    expect(q.get('code_challenge'), 'a SHA-256 challenge, base64url').toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(q.get('state').length, 'state is not guessable').toBeGreaterThanOrEqual(16);
    expect(q.get('nonce').length, 'nonce is not guessable').toBeGreaterThanOrEqual(16);
    starts.push(q);
  }
  // Every attempt has its own.
  for (const name of ['state', 'nonce', 'code_challenge']) {
    expect(starts[0].get(name), `a fresh ${name} per attempt`).not.toBe(starts[1].get(name));
  }
});

test('a teacher logs in with SURFconext, sees the account, and comes back under a changed name as the same account', async ({ stip, page, browser }) => {
  const before = world.proxy.requests.length;
  await ssoLogin(stip, 'docent-horizon');
  expect(stip.path(), 'back where the login started (terug)').toBe('/account');
  await expect(page.locator('header .who')).toHaveText(`${HENK.name} (lezer)`);

  // Stip's back channel: the code exchanged with client_secret_basic and the PKCE verifier; the
  // claims fetched from userinfo with the access token.
  const [token] = providerRequests(before, '/token');
  expect(token, 'Stip exchanged the code at the token endpoint').toBeTruthy();
  expect(token.headers.authorization, 'client_secret_basic').toMatch(/^Basic /);
  const form = new URLSearchParams(token.body);
  expect(form.get('grant_type')).toBe('authorization_code');
  expect(form.get('code_verifier'), 'the PKCE verifier').toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
  expect(form.get('redirect_uri')).toBe(`${world.stipUrl}/inloggen/oidc/terug`);
  const [userinfo] = providerRequests(before, '/me');
  expect(userinfo, 'Stip asked the userinfo endpoint').toBeTruthy();
  expect(userinfo.headers.authorization).toMatch(/^Bearer /);

  const main = page.locator('main');
  await expect(main).toContainText(`Je bent ingelogd als ${HENK.name} (${HENK.email}).`);
  await expect(main).toContainText('Horizon College');
  await expect(main).toContainText('lezer');

  // The provider now knows another name; the next login (elsewhere, straight to /inloggen/oidc,
  // back to /account) brings it along.
  const oldName = HENK.name;
  HENK.name = 'Henk de Docent';
  try {
    const again = await another(stip, browser);
    await again.page.goto('/inloggen/oidc?terug=/account');
    await signInAt(again, 'docent-horizon');
    expect(again.path(), 'back where the login started (terug)').toBe('/account');
    await expect(again.page.locator('main')).toContainText(`Je bent ingelogd als Henk de Docent (${HENK.email}).`);

    const admin = await another(stip, browser, 'beheerder', '/beheer/gebruikers');
    const rows = userRows(admin, HENK.email);
    await expect(rows, 'one account for one person, however often they log in').toHaveCount(1);
    await expect(rows).toContainText('Henk de Docent');
    await expect(rows).toContainText('Horizon College');
    await expect(rows).toContainText('lezer');
  } finally {
    HENK.name = oldName;
  }
});

test('logging out after SURFconext ends the session at Stip and at the provider (RP-initiated logout)', async ({ stip, page }) => {
  await ssoLogin(stip, 'docent-horizon');
  await expect(page.locator('header .who')).toHaveText(`${HENK.name} (lezer)`);
  await ssoLogout(stip, 'docent-horizon');
  await expectLoggedOut(stip);
  // The provider forgot the person too: the next login asks for it again.
  await page.getByRole('link', { name: SSO_LINK }).click();
  await providerLoginForm(stip, 'docent-horizon');
  skipProviderPages(stip);
});

test('a forged ID token is refused: 401, no session, and Stip logs why', async ({ stip }) => {
  const mark = world.stip.mark();
  const tampered = world.proxy.tampered;
  world.proxy.setMode('tamper');
  try {
    await ssoLogin(stip, 'docent-horizon', { status: 401, label: 'tampered ID token' });
  } finally {
    world.proxy.setMode('pass');
  }
  expect(world.proxy.tampered, 'the proxy changed the ID token').toBe(tampered + 1);
  await expectFailure(stip, { what: 'tampered ID token' });
  await expectLoggedOut(stip);
  await expect.poll(() => world.stip.log(mark), { message: "Stip's log names the ID token" }).toMatch(/id[ _-]?token/i);
});

test('a callback whose state does not match, or one used twice, is refused (400)', async ({ stip, page, browser }) => {
  await offline(page);
  await stip.visit('/inloggen');
  await page.getByRole('link', { name: SSO_LINK }).click();
  const callback = await holdCallback(stip, 'docent-horizon');
  const state = callback.searchParams.get('state');
  expect(state).toBeTruthy();
  expect(callback.searchParams.get('code')).toBeTruthy();
  const forged = new URL(callback);
  forged.searchParams.set('state', `${state.slice(0, -1)}${state.endsWith('A') ? 'B' : 'A'}`);
  await stip.visit(forged.pathname + forged.search, { status: 400, label: 'callback with another state' });
  await expectFailure(stip, { text: 'verlopen of hoort niet bij deze browser', what: 'callback with another state' });
  await expectLoggedOut(stip);

  // A genuine callback works once; the same URL again (a replay) is refused.
  const other = await another(stip, browser);
  await other.visit('/inloggen?terug=/account');
  await other.page.getByRole('link', { name: SSO_LINK }).click();
  const genuine = await holdCallback(other, 'docent-horizon');
  await other.visit(genuine.pathname + genuine.search, { label: 'genuine callback' });
  expect(other.path()).toBe('/account');
  await expect(other.page.locator('header .who')).toHaveText(`${HENK.name} (lezer)`);
  await other.visit(genuine.pathname + genuine.search, { status: 400, label: 'the same callback again' });
  await expect(other.page.getByRole('heading', { level: 1 })).toHaveText(FAILED);
  await expect(other.page.locator('main')).toContainText('verlopen of hoort niet bij deze browser');
  await expect(other.page.locator('main').getByRole('link', { name: 'Opnieuw inloggen' })).toHaveAttribute('href', /^\/inloggen/);
});

test('an institution that is not in Stip is told so (403) and gets no account', async ({ stip, browser }) => {
  await ssoLogin(stip, 'onbekend', { status: 403, label: 'unknown institution' });
  await expectFailure(stip, { heading: 'Je instelling doet nog niet mee in Stip', text: 'onbekend.nl', what: 'unknown institution' });
  await expectLoggedOut(stip);
  const admin = await another(stip, browser, 'beheerder', '/beheer/gebruikers');
  await expect(userRows(admin, PEOPLE.onbekend.email), 'no account was made').toHaveCount(0);
  await expect(admin.page.locator('main table')).not.toContainText(PEOPLE.onbekend.name);
});

test('SURFconext unreachable after Stip has met it: the SURFconext link gives a 503 page', async ({ stip, page }) => {
  // Stip has met the provider (earlier tests did; this makes sure).
  expect((await page.request.get('/inloggen/oidc', { maxRedirects: 0 })).status()).toBe(302);
  expect(providerRequests(0, '/.well-known/openid-configuration').length, 'Stip has discovered the provider').toBeGreaterThan(0);
  await offline(page);
  await stip.visit('/inloggen');
  world.proxy.setMode('down');
  await stipAnswers(stip, () => page.getByRole('link', { name: SSO_LINK }).click(), { pathname: '/inloggen/oidc', status: 503, label: 'SURFconext down after discovery' });
  await expectFailure(stip, { text: 'SURFconext is nu niet bereikbaar', what: 'SURFconext down after discovery' });
});

test('SURFconext going down between its login and the callback: the callback gives a 503 page', async ({ stip, page }) => {
  await offline(page);
  await stip.visit('/inloggen');
  await page.getByRole('link', { name: SSO_LINK }).click();
  const button = await providerLoginForm(stip, 'docent-horizon');
  const passed = world.proxy.catchRedirect(isCallback, { down: true });
  await stip.navigate(() => button.click(), { status: 503, label: 'SURFconext down at the callback' });
  skipProviderPages(stip);
  expect(isCallback(new URL(await passed))).toBe(true);
  expect(world.proxy.mode).toBe('down');
  expect(stip.path()).toMatch(/^\/inloggen\/oidc\/terug\?/);
  await expectFailure(stip, { text: 'SURFconext is nu niet bereikbaar', what: 'SURFconext down at the callback' });
  await expectLoggedOut(stip);
});

test('an existing password account is linked once with its password, and then SURFconext goes straight in', async ({ stip, page, browser }) => {
  const davinci = accounts.davinci;
  await ssoLogin(stip, 'daan', { label: 'link page' });
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Koppel je instellingsaccount');
  const password = page.getByLabel('Wachtwoord');
  await expect(password).toHaveAttribute('type', 'password');
  const submit = page.locator('main').getByRole('button', { name: 'Koppelen en inloggen' });
  await expect(submit).toBeVisible();
  await expect(page.locator('header .who')).toHaveCount(0);
  await auditPhone(stip, 'link page');

  await password.fill('niet-het-wachtwoord');
  await stip.click(submit, { status: 401, label: 'link page, wrong password' });
  await expect(page.locator('main')).toContainText('Dit wachtwoord klopt niet.');
  await expect(page.locator('header .who')).toHaveCount(0);
  await auditPhone(stip, 'link page with a wrong password');

  await page.getByLabel('Wachtwoord').fill(davinci.password);
  await stip.click(page.locator('main').getByRole('button', { name: 'Koppelen en inloggen' }), { label: 'linked' });
  expect(stip.path(), 'back where the login started (terug)').toBe('/account');
  await expect(page.locator('header .who')).toHaveText(`${davinci.name} (${davinci.role})`);
  await expect(page.locator('main')).toContainText(`Je bent ingelogd als ${davinci.name} (${davinci.email}).`);
  await expect(page.locator('main')).toContainText('DaVinci College');

  // Next time (another browser, so the provider asks again) no link page.
  const later = await another(stip, browser);
  await ssoLogin(later, 'daan', { label: 'linked account logs in' });
  expect(later.path()).toBe('/account');
  await expect(later.page.locator('header .who')).toHaveText(`${davinci.name} (${davinci.role})`);
});

test('the beheerder allows password login to beheerders only and chooses the role of new SURFconext accounts (form and API)', async ({ stip, page, browser }) => {
  await passwordLogin(stip, 'beheerder', { terug: '/beheer/inloggen' });
  const passwords = page.getByRole('group', { name: 'Inloggen met wachtwoord' });
  const everyone = passwords.getByRole('radio', { name: 'Voor iedereen' });
  const beheerders = passwords.getByRole('radio', { name: 'Alleen voor beheerders' });
  await expect(everyone).toBeChecked();
  await expect(beheerders).not.toBeChecked();
  const role = page.getByLabel('Rol van nieuwe accounts via SURFconext');
  await expect(role).toHaveValue('lezer');
  expect((await role.locator('option').allTextContents()).map((t) => t.trim())).toEqual(['Lezer', 'Informatiemanager']);
  expect(await role.locator('option').evaluateAll((os) => os.map((o) => o.value))).toEqual(['lezer', 'informatiemanager']);
  await auditPhone(stip, 'login settings');

  const api = page.request;
  let settings = await api.get('/api/v1/login-settings');
  expect(settings.status()).toBe(200);
  expect(await settings.json()).toEqual({ password_login: 'everyone', sso_role: 'lezer' });

  // Password login for beheerders only.
  await beheerders.check();
  await stip.click(page.getByRole('button', { name: 'Opslaan' }), { label: 'login settings saved' });
  await expect(page.getByRole('status')).toHaveText('De instellingen zijn opgeslagen.');
  await expect(page.getByRole('group', { name: 'Inloggen met wachtwoord' }).getByRole('radio', { name: 'Alleen voor beheerders' })).toBeChecked();
  settings = await api.get('/api/v1/login-settings');
  expect(await settings.json()).toEqual({ password_login: 'beheerders', sso_role: 'lezer' });
  try {
    const reader = await another(stip, browser);
    await passwordLogin(reader, 'lezer', { status: 403, label: 'password login refused' });
    await expect(reader.page.locator('main')).toContainText('alleen nog voor beheerders');
    await expect(reader.page.locator('header .who')).toHaveCount(0);
    await auditPhone(reader, 'password login refused');
    // A beheerder still logs in with a password.
    await another(stip, browser, 'beheerder');
  } finally {
    // Back to everyone, and new SURFconext accounts become information managers.
    await page.getByRole('group', { name: 'Inloggen met wachtwoord' }).getByRole('radio', { name: 'Voor iedereen' }).check();
    await page.getByLabel('Rol van nieuwe accounts via SURFconext').selectOption('informatiemanager');
    await stip.click(page.getByRole('button', { name: 'Opslaan' }), { label: 'login settings saved again' });
  }
  await expect(page.getByLabel('Rol van nieuwe accounts via SURFconext')).toHaveValue('informatiemanager');
  settings = await api.get('/api/v1/login-settings');
  expect(await settings.json()).toEqual({ password_login: 'everyone', sso_role: 'informatiemanager' });
  const reader = await another(stip, browser, 'lezer');

  // The API is the beheerder's only.
  const csrfOf = (s) => s.page.locator('input[name="csrf"]').first().inputValue();
  expect((await reader.page.request.get('/api/v1/login-settings')).status()).toBe(403);
  const refused = await reader.page.request.put('/api/v1/login-settings', {
    data: { password_login: 'beheerders', sso_role: 'lezer' },
    headers: { 'X-CSRF-Token': await csrfOf(reader) },
  });
  expect(refused.status()).toBe(403);

  // A new person through SURFconext gets the chosen role.
  const nina = await another(stip, browser);
  await ssoLogin(nina, 'nieuw-horizon');
  expect(nina.path()).toBe('/account');
  await expect(nina.page.locator('header .who')).toHaveText(`${PEOPLE['nieuw-horizon'].name} (informatiemanager)`);
  await stip.visit('/beheer/gebruikers');
  const rows = userRows(stip, PEOPLE['nieuw-horizon'].email);
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('informatiemanager');
  await expect(rows).toContainText('Horizon College');

  // Back to lezer through the API.
  const put = await api.put('/api/v1/login-settings', {
    data: { password_login: 'everyone', sso_role: 'lezer' },
    headers: { 'X-CSRF-Token': await csrfOf(stip) },
  });
  expect(put.status(), `PUT /api/v1/login-settings: ${await put.text()}`).toBeLessThan(300);
  settings = await api.get('/api/v1/login-settings');
  expect(await settings.json()).toEqual({ password_login: 'everyone', sso_role: 'lezer' });
  await stip.visit('/beheer/inloggen');
  await expect(page.getByLabel('Rol van nieuwe accounts via SURFconext')).toHaveValue('lezer');
});

test('after the provider rotates its signing key, logging in still works (Stip reads the new JWKS)', async ({ stip, page }) => {
  const oldKid = world.kid;
  const newKid = await world.rotateKeys();
  expect(newKid).not.toBe(oldKid);
  const before = world.proxy.requests.length;
  const tokens = world.proxy.idTokens.length;
  await ssoLogin(stip, 'docent-horizon');
  expect(stip.path()).toBe('/account');
  await expect(page.locator('header .who')).toHaveText(`${HENK.name} (lezer)`);
  expect(world.proxy.idTokens.length).toBe(tokens + 1);
  expect(decodeJwt(world.proxy.idTokens[tokens]).header.kid, 'signed with the new key').toBe(newKid);
  expect(providerRequests(before, '/jwks').length, 'Stip fetched the JWKS again').toBeGreaterThan(0);
});
