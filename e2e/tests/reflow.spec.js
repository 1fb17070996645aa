// Zoom and small screens (WCAG 1.4.4, 1.4.10): every page works at 320 CSS px wide (a phone,
// or 400% zoom) and at 200% zoom of a 1280×800 window (640×400 CSS px) without scrolling
// sideways, also with wider text spacing (1.4.12). Pages are audited with axe at phone width
// too, where the layout differs most.
const { test, expect } = require('../support/fixtures');
const { expectNoHorizontalScroll, applyTextSpacing, expectNothingCutOff } = require('../support/checks');

const PHONE = { width: 320, height: 640 };
const ZOOM_200 = { width: 640, height: 400 };

async function fits(stip, url, options) {
  const page = stip.page;
  await page.setViewportSize(PHONE);
  await stip.visit(url, options);
  await expectNoHorizontalScroll(page, `${url} at 320px`);
  await page.setViewportSize(ZOOM_200);
  await expectNoHorizontalScroll(page, `${url} at 200% zoom`);
  // The header's links all stay reachable: behind the menu button where the window is narrow.
  const menu = page.locator('header summary');
  if (await menu.isVisible()) await menu.click();
  for (const link of await page.locator('header a, header button').all()) {
    if (await link.evaluate((el) => el.classList.contains('skip-link'))) continue;
    await expect(link).toBeVisible();
  }
  await applyTextSpacing(page);
  await expectNothingCutOff(page, `${url} with wider text spacing at 200% zoom`);
  await page.setViewportSize(PHONE);
  await expectNoHorizontalScroll(page, `${url} with wider text spacing at 320px`);
  await expectNothingCutOff(page, `${url} with wider text spacing at 320px`);
}

test('public pages fit a phone and 200% zoom', async ({ stip }) => {
  for (const url of ['/', '/inloggen', '/projecten', '/instellingen', '/instellingen/25LN', '/themas', '/themas/data-ondersteund-onderwijs', '/api']) {
    await fits(stip, url);
  }
  await fits(stip, '/bestaat-niet', { status: 404 });
});

test('portfolio pages and forms fit a phone and 200% zoom, also with errors', async ({ stip, page }) => {
  await stip.login('horizon');
  await fits(stip, '/projecten?institution=25LN&status=groen&sort=-budget');
  await fits(stip, '/projecten?status=paars');
  const first = page.getByRole('table', { name: 'Projecten' }).locator('tbody tr:first-child td:first-child a');
  await page.setViewportSize(PHONE);
  await stip.visit('/projecten?institution=25LN');
  const href = await first.getAttribute('href');
  await fits(stip, href);
  await fits(stip, `${href}/bewerken`);
  await fits(stip, '/projecten/nieuw');
  await page.setViewportSize(PHONE);
  await stip.click(page.getByRole('button', { name: 'Opslaan' }), { status: 422 });
  await expectNoHorizontalScroll(page, 'new-project form with errors at 320px');
  await page.setViewportSize(ZOOM_200);
  await expectNoHorizontalScroll(page, 'new-project form with errors at 200% zoom');
});

test('management pages fit a phone and 200% zoom', async ({ stip, page }) => {
  await stip.login('beheerder');
  for (const url of ['/beheer', '/beheer/instellingen', '/beheer/instellingen/nieuw', '/beheer/agenda', '/beheer/themas/nieuw', '/beheer/hoofdlijnen/nieuw', '/beheer/drijfveren', '/beheer/drijfveren/nieuw', '/beheer/mora', '/beheer/mora/nieuw', '/beheer/criteria', '/beheer/criteria/nieuw', '/beheer/gebruikers', '/beheer/gebruikers/nieuw']) {
    await fits(stip, url);
  }
  // The edit forms of one row of each list.
  for (const list of ['/beheer/instellingen', '/beheer/drijfveren', '/beheer/mora', '/beheer/criteria', '/beheer/gebruikers']) {
    await page.setViewportSize(PHONE);
    await stip.visit(list);
    const href = await page.locator('main table tbody tr:first-child th a').getAttribute('href');
    await fits(stip, href);
  }
  await page.setViewportSize(PHONE);
  await stip.visit('/beheer/agenda');
  const line = await page.locator('main table').nth(0).locator('tbody tr:first-child th a').getAttribute('href');
  const theme = await page.locator('main table').nth(1).locator('tbody tr:first-child th a').getAttribute('href');
  await fits(stip, line);
  await fits(stip, theme);
  // A management form with errors.
  await fits(stip, '/beheer/gebruikers/nieuw');
  await stip.click(page.getByRole('button', { name: 'Opslaan' }), { status: 422 });
  await expect(page.locator('#error-summary')).toBeFocused();
  await expectNoHorizontalScroll(page, 'new-user form with errors at 200% zoom');
  await page.setViewportSize(PHONE);
  await expectNoHorizontalScroll(page, 'new-user form with errors at 320px');
});
