// Prioritising as an information manager does it: the ranking with each score's make-up, the
// value-versus-effort chart whose bubbles lead to their projects, the best selection within a
// budget worked out and saved as a scenario by keyboard, scenarios side by side, and weights
// derived from pairwise comparison. Every page is audited on visit (axe) and fits a phone.
const { test, expect } = require('../support/fixtures');
const { expectNoHorizontalScroll, tabTo } = require('../support/checks');

test('the ranking shows how each score is made up, and a bubble leads to its project', async ({ stip, page }) => {
  await stip.login('horizon');
  await stip.visit('/prioriteren?institution=25LN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Ranglijst');
  await expect(page.locator('#result-count')).toHaveText(/^\d+ projecten, waarvan \d+ zonder volledige score\.$/);
  const ranking = page.getByRole('table', { name: 'Ranglijst met de opbouw van de score per criterium' });
  await expect(ranking.getByRole('columnheader', { name: 'Strategische bijdrage' })).toBeVisible();
  await expect(ranking.locator('tbody tr').first().locator('td').first()).toHaveText('1');
  await stip.click(page.locator('nav.subnav').getByRole('link', { name: 'Waarde en inspanning' }));
  const bubble = page.locator('svg.bubbles a').first();
  await expect(bubble).toHaveAttribute('href', /^\/projecten\/\d+$/);
  const title = (await bubble.locator('title').textContent()).split(' — ')[0];
  await stip.click(bubble);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
});

test('the best selection within a budget is worked out and saved as a scenario, by keyboard', async ({ stip, page }) => {
  await stip.login('horizon');
  await stip.visit('/prioriteren/selectie?institution=25LN');
  const budget = page.getByLabel('Budget (euro)');
  await tabTo(page, budget);
  await page.keyboard.type('1.500.000');
  // The first candidate must be in.
  const first = page.locator('table.candidates select').first();
  await tabTo(page, first);
  await first.selectOption('mee');
  await budget.focus();
  await stip.press('Enter');
  await expect(page.getByRole('heading', { name: 'Uitkomst' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Gekozen \(\d+\)$/ })).toBeVisible();
  await expect(page.locator('.selection-result')).toContainText('Staat op ‘moet mee’.');
  await expect(page.locator('svg.frontier')).toContainText('Huidige selectie');
  await expect(page.locator('dl.facts')).toContainText('van € 1.500.000');

  const name = `Ruim budget ${Date.now()}`;
  const field = page.getByLabel('Naam van het scenario');
  await tabTo(page, field);
  await page.keyboard.type(name);
  await stip.press('Enter');
  expect(stip.path()).toMatch(/^\/prioriteren\/scenarios\/\d+$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.locator('.selection-result')).toContainText('Staat op ‘moet mee’.');
  // Changing it opens the selection as it was saved.
  await stip.click(page.getByRole('link', { name: 'Aanpassen' }));
  await expect(page.getByLabel('Budget (euro)')).toHaveValue('1.500.000');
  await expect(page.locator('table.candidates select').first()).toHaveValue('mee');
  await expect(page.getByText(`Je past het scenario ‘${name}’ aan.`)).toBeVisible();
});

test('two scenarios side by side show where they differ', async ({ stip, page }) => {
  await stip.login('horizon');
  const stamp = Date.now();
  for (const [name, budget] of [[`Krap ${stamp}`, '300.000'], [`Ruim ${stamp}`, '2.000.000']]) {
    await stip.visit(`/prioriteren/selectie?institution=25LN&budget=${budget}`);
    await page.getByLabel('Naam van het scenario').fill(name);
    await stip.click(page.getByRole('button', { name: 'Scenario opslaan' }));
  }
  await stip.visit('/prioriteren/scenarios');
  await page.getByRole('checkbox', { name: `Krap ${stamp}` }).check();
  await page.getByRole('checkbox', { name: `Ruim ${stamp}` }).check();
  await stip.click(page.getByRole('button', { name: 'Vergelijk de gekozen scenario\'s' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Scenario\'s vergeleken');
  const totals = page.getByRole('table', { name: 'Budget, waarde en kosten per scenario' });
  await expect(totals.getByRole('columnheader', { name: `Krap ${stamp}` })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Projecten waarin de scenario\'s verschillen' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Verdeling over de hoofdthema\'s' })).toBeVisible();
});

test('weights derived from pairwise comparison show their consistency before they are used', async ({ stip, page }) => {
  await stip.login('regiegroep');
  await stip.visit('/prioriteren/weging');
  const pairs = page.locator('.pairs-form select');
  const n = await pairs.count();
  expect(n).toBe(10);
  // Strategische bijdrage far above impact, impact far above urgentie, urgentie far above
  // strategische bijdrage: a contradiction.
  await page.getByLabel('Strategische bijdrage tegenover Impact op onderwijs').selectOption('9');
  await page.getByLabel('Impact op onderwijs tegenover Urgentie').selectOption('9');
  await page.getByLabel('Strategische bijdrage tegenover Urgentie').selectOption('1/9');
  for (let i = 0; i < n; i += 1) {
    if ((await pairs.nth(i).inputValue()) === '') await pairs.nth(i).selectOption('1');
  }
  await stip.click(page.getByRole('button', { name: 'Gewichten berekenen' }));
  await expect(page.getByRole('alert')).toContainText('je keuzes spreken elkaar tegen');
  // All equal: consistent, and used.
  for (let i = 0; i < n; i += 1) await pairs.nth(i).selectOption('1');
  await stip.click(page.getByRole('button', { name: 'Gewichten berekenen' }));
  await expect(page.locator('#derived')).toContainText('Je keuzes zijn consistent genoeg');
  await stip.click(page.getByRole('button', { name: 'Deze gewichten gebruiken' }));
  await expect(page.getByRole('status')).toHaveText('De weging is opgeslagen.');
  await expect(page.getByLabel('Urgentie', { exact: true })).toHaveValue('20');
});

test('every prioritising page fits a phone', async ({ stip, page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await stip.login('horizon');
  for (const path of ['/prioriteren', '/prioriteren/waarde-inspanning', '/prioriteren/selectie?institution=25LN&budget=900.000', '/prioriteren/scenarios', '/prioriteren/weging?view=25LN']) {
    await stip.visit(path);
    await expectNoHorizontalScroll(page, path);
  }
});
