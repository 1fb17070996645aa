// MORA process areas as an information manager meets them: the areas are checkboxes in one
// named group, the parts of Bedrijfsvoering a group of their own inside it, ticked with the
// keyboard; the project page names them, and the portfolio filters on Bedrijfsvoering as a whole.
const { test, expect } = require('../support/fixtures');
const { uniqueTitle, fillAndCreate } = require('../support/projects');

test('MORA areas are ticked with the keyboard in named groups and filter the portfolio', async ({ stip, page }) => {
  await stip.login('horizon');
  await stip.visit('/projecten/nieuw');
  const mora = page.getByRole('group', { name: 'MORA-procesgebieden (optioneel)' });
  await expect(mora).toHaveAccessibleDescription(/MBO Referentie Architectuur/);
  const parts = mora.getByRole('group', { name: 'Bedrijfsvoering' });
  await expect(parts.getByRole('checkbox')).toHaveCount(8);
  await expect(parts.getByRole('checkbox').first()).toHaveAccessibleName('Bedrijfsvoering in het algemeen');
  const hrm = parts.getByRole('checkbox', { name: 'HRM', exact: true });
  await hrm.focus();
  await page.keyboard.press('Space');
  await expect(hrm).toBeChecked();
  const title = uniqueTitle('mora');
  await fillAndCreate(stip, { title });
  await expect(page.locator('.facts')).toContainText('Bedrijfsvoering – HRM');

  await stip.visit('/projecten?mora=bedrijfsvoering&sort=-updated');
  await expect(page.getByRole('link', { name: title })).toBeVisible();
  const chip = page.getByRole('link', { name: 'Filter verwijderen: MORA-procesgebied: Bedrijfsvoering' });
  await expect(chip).toBeVisible();
  await stip.visit('/projecten?mora=uitstroom&sort=-updated');
  await expect(page.getByRole('link', { name: title })).toHaveCount(0);
});
