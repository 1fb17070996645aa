// Vergelijken as a duo meets it: from the other institution's page to the two portfolios side by
// side, theme by theme; what they share with whom to call; the same page as a link for the
// other laptop, as a PDF and a workbook; and on a phone the columns stacked per theme. Every
// page is audited on visit (axe).
const { test, expect } = require('../support/fixtures');
const { expectNoHorizontalScroll, tabTo } = require('../support/checks');

test('from an institution page to both portfolios side by side, theme by theme', async ({ stip, page }) => {
  await stip.login('horizon');
  await stip.visit('/instellingen/25LK');
  await stip.click(page.getByRole('link', { name: 'Vergelijk met Horizon College' }));
  expect(stip.path()).toBe('/vergelijken?instelling=25LN&instelling=25LK');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText("Portfolio's vergelijken");
  // The form holds the choice, by name.
  await expect(page.getByLabel('Instelling 1')).toHaveValue('Horizon College');
  await expect(page.getByLabel('Instelling 2')).toHaveValue('DaVinci College');
  await expect(page.locator('.basis')).toContainText(/Horizon College: op basis van \d+ zichtbare projecten/);
  // Per theme one column per institution, each named for a screen reader.
  const theme = page.locator('section.compare-theme').first();
  await expect(theme.getByRole('heading', { level: 4, name: 'Horizon College' })).toBeVisible();
  await expect(theme.getByRole('heading', { level: 4, name: 'DaVinci College' })).toBeVisible();
  const [left, right] = await theme.locator('.compare-col').evaluateAll((cols) => cols.map((c) => c.getBoundingClientRect().x));
  expect(right).toBeGreaterThan(left);
  await expect(page.getByRole('heading', { level: 2, name: 'Wat jullie delen' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Wat alleen één van jullie doet' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Balans naast elkaar' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Karakter' }).getByRole('columnheader', { name: 'Netwerk' })).toBeVisible();
  // The permalink opens the same comparison.
  await expect(page.getByRole('link', { name: 'Link naar deze vergelijking' })).toHaveAttribute('href', '/vergelijken?instelling=25LN&instelling=25LK');
  // The downloads are what they say.
  const pdf = await page.request.get(await page.getByRole('link', { name: 'Download als pdf' }).getAttribute('href'));
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  const xlsx = await page.request.get(await page.getByRole('link', { name: 'Download als Excel (xlsx)' }).getAttribute('href'));
  expect(xlsx.headers()['content-disposition']).toContain('vergelijking-25ln-25lk.xlsx');
});

test('three institutions are chosen by name with the keyboard, and a wrong one is said at its field', async ({ stip, page }) => {
  await stip.login('davinci');
  await stip.visit('/vergelijken');
  await expect(page.getByLabel('Instelling 1')).toHaveValue('DaVinci College');
  await tabTo(page, page.getByLabel('Instelling 2'));
  await page.keyboard.type('Horizon');
  await tabTo(page, page.getByLabel('Instelling 3'));
  await page.keyboard.type('Nergenscollege');
  await stip.press('Enter', { status: 422 });
  await expect(page.locator('#error-summary')).toContainText('Geen instelling gevonden met deze naam of BRIN-code');
  await expect(page.getByLabel('Instelling 3')).toHaveValue('Nergenscollege');
  await page.getByLabel('Instelling 3').fill('');
  await stip.click(page.getByRole('button', { name: 'Vergelijken' }));
  expect(stip.path()).toBe('/vergelijken?instelling=DaVinci+College&instelling=Horizon&instelling=');
  await expect(page.locator('.basis li')).toHaveCount(2);
});

test('on a phone the columns stack per theme and nothing scrolls sideways', async ({ stip, page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await stip.login('horizon');
  await stip.visit('/vergelijken?instelling=25LN&instelling=25LK&instelling=30AC');
  const theme = page.locator('section.compare-theme').first();
  const xs = await theme.locator('.compare-col').evaluateAll((cols) => cols.map((c) => Math.round(c.getBoundingClientRect().x)));
  expect(new Set(xs).size).toBe(1);
  await expectNoHorizontalScroll(page, 'the comparison at 375 px');
});
