// Switching the language with the link in the header: the same page comes back in English, and
// the choice sticks until switched back.
const { test, expect } = require('../support/fixtures');

test('switching to English and back keeps the page and the filters', async ({ stip, page }) => {
  await stip.login('davinci');
  await stip.visit('/projecten?status=rood');
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');

  const english = page.locator('header').getByRole('link', { name: 'English' });
  await expect(english).toHaveAttribute('lang', 'en');
  await stip.click(english);
  expect(stip.path()).toBe('/projecten?status=rood');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page).toHaveTitle('Portfolio · Stip');
  await expect(page.getByRole('search', { name: 'Filter projects' })).toBeVisible();
  await expect(page.locator('header .who')).toHaveText('Daan DaVinci (information manager)');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeAttached();

  // The choice is kept for the next page.
  await stip.click(page.getByRole('navigation', { name: 'Main menu' }).getByRole('link', { name: 'Institutions' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Institutions');

  const dutch = page.locator('header').getByRole('link', { name: 'Nederlands' });
  await expect(dutch).toHaveAttribute('lang', 'nl');
  await stip.click(dutch);
  expect(stip.path()).toBe('/instellingen');
  await expect(page.locator('html')).toHaveAttribute('lang', 'nl');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Instellingen');
});

test('a validation error reads in English after switching', async ({ stip, page }) => {
  await stip.visit('/taal/en?terug=/projecten');
  expect(stip.path()).toBe('/projecten');
  await stip.visit('/projecten?phase=klaar');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  const summary = page.locator('#error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText([/^Phase: /]);
});
