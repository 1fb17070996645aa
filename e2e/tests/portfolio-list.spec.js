// The portfolio list: filtering with the form, removing one filter, searching, sorting by a
// column header, paging, and an impossible filter value.
const { test, expect } = require('../support/fixtures');

/** The number in "N projecten gevonden". */
async function total(page) {
  const text = await page.locator('main .count').textContent();
  return Number(text.match(/\d+/)[0]);
}

/** The texts of one column of the project table. */
async function column(page, header) {
  const headers = await page.locator('table.projects thead th').allTextContents();
  const index = headers.findIndex((h) => h.trim().replace(/\s*[↑↓]$/, '') === header);
  expect(index, `column ${header}`).toBeGreaterThanOrEqual(0);
  return page.locator(`table.projects tbody tr > :nth-child(${index + 1})`).allTextContents();
}

test('filtering the portfolio by theme and status, removing one filter, and clearing all', async ({ stip, page }) => {
  await stip.login('lezer');
  await stip.visit('/projecten');
  const all = await total(page);
  expect(all).toBeGreaterThan(50);

  const filters = page.getByRole('search', { name: 'Projecten filteren' });
  await filters.getByLabel('Thema', { exact: true }).selectOption({ label: 'Leermiddelen' });
  await filters.getByLabel('Status').selectOption({ label: 'Rood' });
  await stip.click(filters.getByRole('button', { name: 'Filteren' }));

  expect(new URL(page.url()).searchParams.get('theme')).toBe('leermiddelen');
  expect(new URL(page.url()).searchParams.get('status')).toBe('rood');
  const filtered = await total(page);
  expect(filtered).toBeGreaterThan(0);
  expect(filtered).toBeLessThan(all);
  for (const status of await column(page, 'Status')) expect(status.trim()).toBe('Rood');
  await expect(filters.getByLabel('Status')).toHaveValue('rood');
  const active = page.getByRole('region', { name: 'Actieve filters' });
  await expect(active.getByRole('link')).toHaveCount(2);

  await stip.click(active.getByRole('link', { name: 'Filter verwijderen: Status: Rood' }));
  expect(new URL(page.url()).searchParams.get('status')).toBeNull();
  await expect(filters.getByLabel('Status')).toHaveValue('');
  await expect(filters.getByLabel('Thema', { exact: true })).toHaveValue('leermiddelen');
  expect(await total(page)).toBeGreaterThanOrEqual(filtered);

  await stip.click(page.getByRole('link', { name: 'Alle filters wissen' }));
  expect(stip.path()).toBe('/projecten');
  // Other tests may add projects meanwhile; none goes away.
  expect(await total(page)).toBeGreaterThanOrEqual(all);
  await expect(page.getByRole('region', { name: 'Actieve filters' })).toHaveCount(0);
});

test('searching by text and by institution, and a search that finds nothing', async ({ stip, page }) => {
  await stip.login('regiegroep');
  await stip.visit('/projecten');
  const filters = page.getByRole('search', { name: 'Projecten filteren' });
  // The institution is typed (part of its name), not picked from a long list.
  await filters.getByLabel('Instelling').fill('Horizon College');
  await stip.click(filters.getByRole('button', { name: 'Filteren' }));
  const institutions = await column(page, 'Instelling');
  expect(institutions.length).toBeGreaterThan(0);
  for (const name of institutions) expect(name.trim()).toBe('Horizon College');

  await filters.getByLabel('Zoeken in titel en tekst').fill('zzzzgeenprojectzzzz');
  await stip.press('Enter');
  await expect(page.locator('main .empty')).toHaveText('Hier zijn geen projecten te zien.');
  await expect(page.locator('main .count')).toHaveText('0 projecten gevonden');
});

test('sorting by a column header and paging through the list', async ({ stip, page }) => {
  await stip.login('beheerder');
  await stip.visit('/projecten');
  const table = page.getByRole('table', { name: 'Projecten' });
  const budget = table.getByRole('columnheader', { name: /^Budget/ });
  await expect(budget).toHaveAttribute('aria-sort', 'none');

  await stip.click(budget.getByRole('link'));
  await expect(budget).toHaveAttribute('aria-sort', 'ascending');
  const euros = (await column(page, 'Budget')).map((t) => t.trim()).filter(Boolean).map((t) => Number(t.replace(/[€\s.]/g, '').replace(',', '.')));
  expect(euros.length).toBeGreaterThan(1);
  expect(euros).toEqual([...euros].sort((a, b) => a - b));

  await stip.click(budget.getByRole('link'));
  await expect(budget).toHaveAttribute('aria-sort', 'descending');

  const pager = page.getByRole('navigation', { name: "Pagina's" });
  await expect(pager).toContainText(/Pagina 1 van \d+/);
  await stip.click(pager.getByRole('link', { name: 'Volgende pagina' }));
  await expect(pager).toContainText(/Pagina 2 van \d+/);
  await expect(budget).toHaveAttribute('aria-sort', 'descending');
  await stip.click(pager.getByRole('link', { name: 'Vorige pagina' }));
  await expect(pager).toContainText(/Pagina 1 van \d+/);
});

test('an impossible filter value is named in an error summary that links to the field', async ({ stip, page }) => {
  await stip.visit('/projecten?status=paars');
  const summary = page.locator('#error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText('Status: Kies een van de mogelijkheden.');
  await summary.getByRole('link').click();
  await expect(page.locator('#f-status')).toBeFocused();
  await expect(page.locator('#f-status')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.locator('#f-status')).toHaveAccessibleDescription(/Kies een van de mogelijkheden\./);
});

test('on a phone the number found comes first, the filters wait behind their button, and each project is a card', async ({ stip, page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await stip.login('lezer');
  await stip.visit('/projecten?theme=llo');
  const count = page.locator('#result-count');
  const toggle = page.locator('#filters > summary');
  await expect(toggle).toHaveText('Filters (1 actief)');
  const filters = page.getByRole('search', { name: 'Projecten filteren' });
  await expect(filters).toBeHidden();
  expect((await count.boundingBox()).y).toBeLessThan((await toggle.boundingBox()).y);
  // Nothing scrolls sideways: each row is a card as wide as the screen at most.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  const card = page.locator('table.projects tbody tr').first();
  await expect(card).toHaveCSS('display', 'block');
  expect((await card.boundingBox()).width).toBeLessThanOrEqual(375);

  await toggle.click();
  await expect(filters).toBeVisible();
  await stip.audit('filters opened on a phone');
  await filters.getByLabel('Status').selectOption({ label: 'Groen' });
  await stip.click(filters.getByRole('button', { name: 'Filteren' }));
  expect(new URL(page.url()).searchParams.get('status')).toBe('groen');
  // Focus moves to the number found, so a screen reader says it.
  await expect(page.locator('#result-count')).toBeFocused();
  await expect(page.locator('#filters > summary')).toHaveText('Filters (2 actief)');
});

test('on a wide screen the filters are open, and after filtering the number found has focus', async ({ stip, page }) => {
  await stip.login('lezer');
  await stip.visit('/projecten');
  const filters = page.getByRole('search', { name: 'Projecten filteren' });
  await expect(filters).toBeVisible();
  await filters.getByLabel('Thema', { exact: true }).selectOption({ label: 'Leven lang ontwikkelen (LLO)' });
  await filters.getByLabel('Alleen als hoofdthema').check();
  await stip.click(filters.getByRole('button', { name: 'Filteren' }));
  await expect(page.locator('#result-count')).toBeFocused();
  const active = page.getByRole('region', { name: 'Actieve filters' });
  await expect(active.getByRole('link')).toHaveText(['Hoofdthema: Leven lang ontwikkelen (LLO) ×']);
  for (const themes of await column(page, "Thema's")) expect(themes.trim()).toMatch(/^Leven lang ontwikkelen \(LLO\)/);
});
