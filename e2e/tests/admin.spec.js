// Beheer as two people meet it: the regiegroep adds a main line to the agenda, and when the
// beheerder saves the same line in between, the regiegroep's save is refused with a notice
// that keeps what was typed, until saved again knowingly.
const { test, expect } = require('../support/fixtures');

test('two people editing one main line: the second save is a conflict that keeps the input', async ({ stip, page, browser }) => {
  await stip.login('regiegroep');
  await stip.visit('/beheer/agenda');
  await stip.click(page.getByRole('link', { name: 'Nieuwe hoofdlijn' }));
  // A code of its own, so tests running beside this one never meet it.
  const code = `e2e-${process.pid}-${Date.now().toString(36)}`;
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByLabel('Naam', { exact: true }).fill(`Hoofdlijn ${code}`);
  await page.getByLabel('Volgorde').fill('90');
  await stip.click(page.getByRole('button', { name: 'Opslaan' }));
  expect(stip.path()).toBe('/beheer/agenda');
  const lines = page.getByRole('table', { name: 'Hoofdlijnen' });
  await stip.click(lines.getByRole('link', { name: `Hoofdlijn ${code}` }));
  const edit = stip.path();
  expect(edit).toMatch(/^\/beheer\/hoofdlijnen\/\d+$/);

  // The beheerder opens the same form and saves first.
  const other = await stip.another(browser, 'beheerder');
  await other.visit(edit);
  await other.page.getByLabel('Naam', { exact: true }).fill(`Hoofdlijn ${code} (beheer)`);
  await other.click(other.page.getByRole('button', { name: 'Opslaan' }));
  expect(other.path()).toBe('/beheer/agenda');

  await page.getByLabel('Naam', { exact: true }).fill(`Hoofdlijn ${code} (regie)`);
  await stip.click(page.getByRole('button', { name: 'Opslaan' }), { status: 409 });
  const conflict = page.locator('#conflict');
  await expect(conflict).toBeFocused();
  await expect(conflict).toHaveRole('alert');
  await expect(conflict.getByRole('heading')).toHaveText('Iemand anders heeft dit intussen opgeslagen');
  await expect(page.getByLabel('Naam', { exact: true })).toHaveValue(`Hoofdlijn ${code} (regie)`);

  // Saving again from the conflict form is a deliberate choice and goes through.
  await stip.click(page.getByRole('button', { name: 'Opslaan' }));
  expect(stip.path()).toBe('/beheer/agenda');
  await expect(lines.getByRole('link', { name: `Hoofdlijn ${code} (regie)` })).toBeVisible();
});
