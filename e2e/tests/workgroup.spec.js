// The agenda's working groups: the regiegroep describes a theme's working group and logs what the
// network gave it and what came back; a member reads it on the working group's page and on the
// theme page. Every page is audited on visit (axe) and fits a phone.
const { test, expect } = require('../support/fixtures');
const { expectNoHorizontalScroll } = require('../support/checks');

test('the regiegroep keeps a working group and its exchanges, a member reads them', async ({ stip, page, browser }) => {
  await stip.login('regiegroep');
  await stip.visit('/themas/onderwijslogistiek/werkgroep');
  const name = `SAD-werkgroep Onderwijslogistiek ${Date.now()}`;
  await page.getByLabel('Naam van de werkgroep').fill(name);
  await page.getByLabel('Voorzitter').fill('Rik Regie');
  // Members in rows, each institution by (part of) its name, as the list suggests it.
  await page.getByLabel('Naam 1', { exact: true }).fill('Hanna Horizon');
  await page.getByRole('combobox', { name: 'Instelling 1', exact: true }).fill('Horizon College');
  await page.getByLabel('Naam 2', { exact: true }).fill('Kees Kennisnet');
  await stip.click(page.getByRole('button', { name: 'Opslaan' }));
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
  await expect(page.getByText('Hanna Horizon (Horizon College)')).toBeVisible();

  // An exchange without its direction and text: named, the date kept.
  await page.getByLabel('Datum').fill('2026-11-12');
  await stip.click(page.getByRole('button', { name: 'Vastleggen' }), { status: 422 });
  await expect(page.locator('#error-summary')).toBeVisible();
  await expect(page.getByLabel('Datum')).toHaveValue('2026-11-12');
  await page.getByLabel('Input: wat het netwerk aan de werkgroep meegaf').check();
  const text = `Vraag om één roostersysteem voor flexibel onderwijs ${Date.now()}`;
  await page.getByLabel('Wat', { exact: true }).fill(text);
  await page.getByLabel('Links').fill('https://example.org/verslag');
  await stip.click(page.getByRole('button', { name: 'Vastleggen' }));
  await expect(page.locator('#uitwisselingen')).toContainText(text);

  const member = await stip.another(browser, 'lezer');
  await member.visit('/themas/onderwijslogistiek');
  await expect(member.page.locator('#ti-workgroup')).toContainText(name);
  await expect(member.page.getByText(text)).toBeVisible();
  await member.click(member.page.getByRole('link', { name: 'Alle uitwisselingen en de werkgroep' }));
  await expect(member.page.getByRole('button', { name: 'Vastleggen' })).toHaveCount(0);
  await member.page.setViewportSize({ width: 375, height: 800 });
  await expectNoHorizontalScroll(member.page);
});
