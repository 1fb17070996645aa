// Keyboard only: the skip link, the tab order and a visible focus on every stop, and the main
// flows (log in, filter, open a project, create one with an error first, log out) without a mouse.
const { test, expect } = require('../support/fixtures');
const { accounts } = require('../support/accounts');
const { focused, tab, tabTo, walkTabOrder } = require('../support/checks');
const { uniqueTitle } = require('../support/projects');

test('the skip link is the first stop, shows when focused, and moves focus to the content', async ({ stip, page }) => {
  await stip.visit('/projecten');
  const skip = page.getByRole('link', { name: 'Naar de inhoud' });
  const hidden = await skip.boundingBox();
  expect(hidden.y + hidden.height, 'the skip link is off screen until focused').toBeLessThanOrEqual(0);

  const first = await tab(page);
  expect(first.text).toBe('Naar de inhoud');
  await expect(skip).toBeFocused();
  expect(first.box.top, 'the focused skip link is on screen').toBeGreaterThanOrEqual(0);

  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
  const next = await tab(page);
  expect(next.region, 'after the skip link, Tab continues in the content').toBe('main');
  // The filters' button comes first: on a phone the filters wait behind it.
  expect(next.text).toBe('Filters');
});

const pages = [
  { who: null, url: '/' },
  { who: null, url: '/inloggen' },
  { who: 'horizon', url: '/projecten' },
  { who: 'horizon', url: '/projecten/nieuw' },
  { who: 'horizon', url: '/instellingen/25LN' },
  { who: 'beheerder', url: '/beheer' },
  { who: 'beheerder', url: '/beheer/gebruikers/nieuw' },
];
for (const { who, url } of pages) {
  test(`tab order and visible focus on ${url}${who ? ` (${who})` : ''}`, async ({ stip, page }) => {
    // A Tab press per stop: the full list has well over a hundred.
    test.setTimeout(120_000);
    if (who) await stip.login(who);
    await stip.visit(url);
    const stops = await walkTabOrder(page);
    const regions = new Set(stops.map((s) => s.region));
    expect([...regions]).toContain('header');
    expect([...regions]).toContain('main');
  });
}

test('tab order and visible focus on a project page with an edit button', async ({ stip, page }) => {
  await stip.login('horizon');
  await stip.visit('/projecten?institution=25LN');
  await stip.click(page.getByRole('table', { name: 'Projecten' }).locator('tbody tr:first-child td:first-child a'));
  const stops = await walkTabOrder(page);
  expect(stops.map((s) => s.text)).toContain('Bewerken');
  // Deleting is on the edit page, behind its own confirmation.
  expect(stops.map((s) => s.text)).not.toContain('Project verwijderen');
});

test('keyboard only: log in, filter the list, open a project, switch language, and log out', async ({ stip, page }) => {
  const account = accounts.lezer;
  await stip.visit('/');
  await tabTo(page, page.locator('header').getByRole('link', { name: 'Inloggen' }));
  await stip.press('Enter');

  await tabTo(page, page.getByLabel('E-mailadres'));
  await page.keyboard.type(account.email);
  expect((await tab(page)).id).toBe('f-password');
  await page.keyboard.type(account.password);
  expect((await tab(page)).text).toBe('Inloggen');
  await stip.press('Enter');
  await expect(page.locator('header .who')).toContainText(account.name);

  await tabTo(page, page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Portfolio' }));
  await stip.press('Enter');
  await tabTo(page, page.getByLabel('Status', { exact: true }));
  // A letter typed on a closed select picks the first option that starts with it.
  await page.keyboard.press('r');
  await expect(page.getByLabel('Status', { exact: true })).toHaveValue('rood');
  await tabTo(page, page.getByRole('button', { name: 'Filteren' }));
  await stip.press('Enter');
  expect(new URL(page.url()).searchParams.get('status')).toBe('rood');

  const firstProject = page.getByRole('table', { name: 'Projecten' }).locator('tbody tr:first-child td:first-child a');
  const title = (await firstProject.textContent()).trim();
  await tabTo(page, firstProject);
  await stip.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.locator('.facts')).toContainText('Rood');

  // The language switch, then logging out, in English.
  await tabTo(page, page.locator('header').getByRole('link', { name: 'English' }));
  await stip.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await tabTo(page, page.locator('header').getByRole('button', { name: 'Log out' }));
  await stip.press('Enter');
  await expect(page.locator('header .who')).toHaveCount(0);
  await expect(page.locator('header').getByRole('link', { name: 'Log in' })).toBeVisible();
});

test('keyboard only: create a project, correcting a missing title through the error summary', async ({ stip, page }) => {
  await stip.login('horizon');
  await stip.visit('/projecten');
  await tabTo(page, page.getByRole('link', { name: 'Nieuw project' }));
  await stip.press('Enter');

  await tabTo(page, page.getByLabel('Hoofdthema'));
  await page.keyboard.press('d');
  await expect(page.getByLabel('Hoofdthema')).toHaveValue('digitaal-burgerschap');
  await tabTo(page, page.getByRole('button', { name: 'Opslaan' }));
  await stip.press('Enter', { status: 422 });

  // The summary has focus; its link takes focus to the field.
  await expect(page.locator('#error-summary')).toBeFocused();
  const link = await tab(page);
  expect(link.text).toBe('Vul een titel in.');
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('Titel', { exact: true })).toBeFocused();
  expect((await focused(page)).id).toBe('f-title');
  const title = uniqueTitle('toetsenbord');
  await page.keyboard.type(title);
  await tabTo(page, page.getByRole('button', { name: 'Opslaan' }));
  await stip.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByRole('status')).toHaveText('Het project is opgeslagen.');
});
