// Logging in as each role: what the header, the portfolio and the management pages offer, and
// logging out again.
const { test, expect } = require('../support/fixtures');
const { accounts } = require('../support/accounts');

const may = {
  beheerder: { manage: true, create: true, sections: ['Instellingen', 'Strategische agenda', "Beleidsagenda's", 'MORA-procesgebieden', 'Portfoliocriteria', 'Gebruikers', 'Inloggen'] },
  regiegroep: { manage: true, create: false, sections: ['Strategische agenda'] },
  horizon: { manage: false, create: true },
  davinci: { manage: false, create: true },
  lezer: { manage: false, create: false },
};

for (const [who, rights] of Object.entries(may)) {
  const account = accounts[who];
  test(`${who} (${account.role}) logs in, sees what the role may do, and logs out`, async ({ stip, page }) => {
    await stip.visit('/');
    await stip.click(page.locator('header').getByRole('link', { name: 'Inloggen' }));
    await page.getByLabel('E-mailadres').fill(account.email);
    await page.getByLabel('Wachtwoord').fill(account.password);
    await stip.click(page.locator('main').getByRole('button', { name: 'Inloggen' }));
    expect(stip.path()).toBe('/');

    const header = page.locator('header');
    await expect(header.locator('.who')).toHaveText(`${account.name} (${account.role})`);
    const menu = page.getByRole('navigation', { name: 'Hoofdmenu' });
    await expect(menu.getByRole('link', { name: 'Beheer' })).toHaveCount(rights.manage ? 1 : 0);

    await stip.click(menu.getByRole('link', { name: 'Portfolio' }));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Portfolio');
    await expect(menu.getByRole('link', { name: 'Portfolio' })).toHaveAttribute('aria-current', 'page');
    await expect(page.getByRole('link', { name: 'Nieuw project' })).toHaveCount(rights.create ? 1 : 0);
    await stip.visit('/projecten/nieuw', { status: rights.create ? 200 : 403 });

    await stip.visit('/beheer', { status: rights.manage ? 200 : 403 });
    if (rights.manage) {
      await expect(page.locator('main .cards strong')).toHaveText(rights.sections);
    } else {
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Geen toegang');
    }

    await stip.logout();
    await expect(header.locator('.who')).toHaveCount(0);
    await stip.visit('/beheer');
    expect(stip.path()).toBe('/inloggen?terug=%2Fbeheer');
  });
}

test('a wrong password is refused with a message tied to the e-mail field', async ({ stip, page }) => {
  await stip.visit('/inloggen');
  await page.getByLabel('E-mailadres').fill(accounts.lezer.email);
  await page.getByLabel('Wachtwoord').fill('not-the-password');
  await stip.click(page.locator('main').getByRole('button', { name: 'Inloggen' }), { status: 401 });
  const alert = page.getByRole('alert');
  await expect(alert).toHaveText('Het e-mailadres of het wachtwoord klopt niet.');
  await expect(alert, 'the message takes focus, so a screen reader reads it').toBeFocused();
  await expect(page.getByLabel('E-mailadres')).toHaveAccessibleDescription(/Het e-mailadres of het wachtwoord klopt niet./);
  await expect(page.getByLabel('E-mailadres')).toHaveValue(accounts.lezer.email);
  await expect(page.locator('header .who')).toHaveCount(0);
});

test('logging in from a page that needs it returns to that page', async ({ stip, page }) => {
  await stip.visit('/projecten/nieuw');
  expect(stip.path()).toBe('/inloggen?terug=%2Fprojecten%2Fnieuw');
  await page.getByLabel('E-mailadres').fill(accounts.horizon.email);
  await page.getByLabel('Wachtwoord').fill(accounts.horizon.password);
  await stip.click(page.locator('main').getByRole('button', { name: 'Inloggen' }));
  expect(stip.path()).toBe('/projecten/nieuw');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nieuw project');
});
