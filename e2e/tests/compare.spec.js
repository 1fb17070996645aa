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

test('in a workshop the duos compare: guests say their institution, write what they can do together, and see it live', async ({ stip, page, browser }) => {
  test.setTimeout(120_000);
  await stip.login('regiegroep');
  await stip.visit('/werksessies/nieuw');
  const title = `Vergelijken in duo's ${Date.now()}-${test.info().workerIndex}`;
  await page.getByLabel('Titel', { exact: true }).fill(title);
  await page.getByLabel('Bijeenkomst', { exact: true }).selectOption('');
  await stip.click(page.getByRole('button', { name: 'Werksessie aanmaken' }));
  const code = (await page.locator('strong.code').textContent()).trim();
  // Two guests join by code, without an account.
  const join = async (name) => {
    const person = await stip.another(browser);
    await person.visit(`/meedoen?code=${code}`);
    await person.page.getByLabel('Je naam').fill(name);
    await person.click(person.page.locator('main form').getByRole('button', { name: 'Meedoen', exact: true }));
    return person;
  };
  const anna = await join('Anna');
  const bram = await join('Bram');
  await stip.click(page.getByRole('button', { name: "Tussenstap: portfolio's vergelijken" }));
  await expect(page.locator('#phase-now')).toHaveText("Tussenstap: portfolio's vergelijken");
  await expect(page.locator('#vergelijken')).toContainText('2 deelnemers hebben nog geen instelling gekozen');
  // Each says where they are from, with the keyboard.
  for (const [person, institution] of [[anna, 'Horizon College'], [bram, 'DaVinci College']]) {
    await expect(person.page.locator('#phase-now')).toHaveText("Tussenstap: portfolio's vergelijken", { timeout: 5_000 });
    await person.page.getByLabel('Voor welke instelling ben je hier?').fill(institution);
    await person.press('Enter');
  }
  // Bram's screen has the duo and its comparison; Anna writes, Bram sees it without reloading.
  const duo = bram.page.locator('li.together-group.mine');
  await expect(duo).toContainText('Horizon College en DaVinci College', { timeout: 5_000 });
  await expect(duo.getByRole('link', { name: 'Open jullie vergelijking' })).toHaveAttribute('href', '/vergelijken?instelling=25LN&instelling=25LK');
  await anna.page.getByLabel('Wat kunnen we samen?').fill('Samen één leermiddelenbank inkopen');
  await anna.page.getByRole('button', { name: 'Notitie toevoegen' }).click();
  await expect(duo).toContainText('Samen één leermiddelenbank inkopen', { timeout: 5_000 });
  await bram.audit('the duo\'s note, live');
  await expect(page.locator('#vergelijken')).toContainText('Samen één leermiddelenbank inkopen', { timeout: 5_000 });
  await stip.audit('the facilitator sees the duo');
});
