// Creating and editing a project through its form: a validation error, a successful save, the
// change on record, the conflict when someone else saved first, and deleting with confirmation.
const { test, expect } = require('../support/fixtures');
const { uniqueTitle, createProject } = require('../support/projects');

test('creating a project: a missing title is explained next to the field, then it saves', async ({ stip, page }) => {
  await stip.login('horizon');
  await stip.visit('/projecten');
  await stip.click(page.getByRole('link', { name: 'Nieuw project' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nieuw project');
  await expect(page.getByText('Instelling Horizon College')).toBeVisible();

  // Only a summary and a theme: the title is missing.
  await page.getByLabel('Samenvatting (optioneel)', { exact: true }).fill('Een project zonder titel.');
  await page.getByLabel('Hoofdthema').selectOption({ label: 'Eigen dossier' });
  await stip.click(page.getByRole('button', { name: 'Opslaan' }), { status: 422 });

  const summary = page.locator('#error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toHaveRole('alert');
  await expect(summary.getByRole('heading')).toHaveText('Controleer de volgende velden');
  await expect(summary.getByRole('link')).toHaveText(['Vul een titel in.']);
  const title = page.getByLabel('Titel', { exact: true });
  await expect(title).toHaveAttribute('aria-invalid', 'true');
  await expect(title).toHaveAccessibleDescription('⚠ Vul een titel in.');
  await expect(page.locator('#e-title')).toBeVisible();
  // What was typed is kept.
  await expect(page.getByLabel('Samenvatting (optioneel)', { exact: true })).toHaveValue('Een project zonder titel.');
  await expect(page.getByLabel('Hoofdthema')).toHaveValue('eigen-dossier');
  // Optional fields say so before anyone makes a mistake; required ones are the usual case.
  await expect(page.getByLabel('Hoofdthema', { exact: true })).toBeVisible();
  await expect(page.getByLabel('Samenvatting (optioneel)', { exact: true })).toBeVisible();
  await expect(page).toHaveTitle('Fout: Nieuw project · Stip');

  await summary.getByRole('link', { name: 'Vul een titel in.' }).click();
  await expect(title).toBeFocused();
  const name = uniqueTitle('nieuw');
  await title.fill(name);
  await stip.click(page.getByRole('button', { name: 'Opslaan' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(name);
  await expect(page.getByRole('status')).toHaveText('Het project is opgeslagen.');
  // Focus moves to the notice, so a screen reader says the project was saved.
  await expect(page.locator('#saved')).toBeFocused();
  await expect(page.locator('.facts')).toContainText('Horizon College');
  await expect(page.getByRole('region', { name: 'Wijzigingsgeschiedenis' })).toContainText('Project aangemaakt.');
});

test('editing a project: the change is saved and on record', async ({ stip, page }) => {
  await stip.login('horizon');
  const before = uniqueTitle('bewerken');
  const id = await createProject(stip, { title: before });

  await stip.click(page.getByRole('link', { name: 'Bewerken' }));
  expect(stip.path()).toBe(`/projecten/${id}/bewerken`);
  await expect(page.getByLabel('Titel', { exact: true })).toHaveValue(before);
  const after = `${before} (herzien)`;
  await page.getByLabel('Titel', { exact: true }).fill(after);
  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Oranje' });
  await page.getByLabel('Toelichting op de status').fill('Leverancier is later.');
  await page.getByLabel('Budget (euro)').fill('12.500,50');
  await stip.click(page.getByRole('button', { name: 'Opslaan' }));

  expect(new URL(page.url()).pathname).toBe(`/projecten/${id}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(after);
  await expect(page.locator('.facts')).toContainText('Oranje — Leverancier is later.');
  await expect(page.locator('.facts')).toContainText('€ 12.500,50');
  const changes = page.getByRole('table', { name: 'Wijzigingen in versie 2' });
  await expect(changes.getByRole('row', { name: /Titel/ })).toContainText(after);
  await expect(changes.getByRole('row', { name: /^Status/ })).toContainText(/oranje/i);
});

test('the new-project form names every invalid field and keeps what was typed', async ({ stip, page }) => {
  await stip.login('beheerder');
  await stip.visit('/projecten');
  await stip.click(page.getByRole('link', { name: 'Nieuw project' }));
  // The beheerder chooses the institution.
  await page.getByRole('combobox', { name: 'Instelling' }).selectOption({ label: 'DaVinci College' });
  const title = uniqueTitle('budget');
  await page.getByLabel('Titel', { exact: true }).fill(title);
  await page.getByLabel('Hoofdthema').selectOption({ label: 'Innovatie' });
  await page.getByLabel('Budget (euro)').fill('veel geld');
  await page.getByLabel('Einddatum').fill('2020-01-01');
  await page.getByLabel('Startdatum').fill('2021-01-01');
  await stip.click(page.getByRole('button', { name: 'Opslaan' }), { status: 422 });

  const summary = page.locator('#error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText(['Vul een einddatum in die na de startdatum ligt.', "Vul het budget in euro's in, bijvoorbeeld 12.500 of 12.500,50."]);
  await expect(page.getByLabel('Budget (euro)')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Budget (euro)')).toHaveValue('veel geld');
  await expect(page.getByLabel('Titel', { exact: true })).toHaveValue(title);
  await expect(page.getByRole('combobox', { name: 'Instelling' })).toHaveValue('25LK');
});

test('a save from a stale version shows what changed, keeps the input, and can be saved anyway', async ({ stip, page, browser }) => {
  await stip.login('horizon');
  const title = uniqueTitle('conflict');
  const id = await createProject(stip, { title });

  // Two people open the same edit form; the beheerder saves first.
  await stip.visit(`/projecten/${id}/bewerken`);
  const other = await stip.another(browser, 'beheerder');
  await other.visit(`/projecten/${id}/bewerken`);
  await other.page.getByLabel('Toelichting op de status').fill('Door de beheerder bijgewerkt.');
  await other.page.getByLabel('Fase').selectOption({ label: 'Uitvoering' });
  await other.click(other.page.getByRole('button', { name: 'Opslaan' }));
  await expect(other.page.getByRole('status')).toHaveText('Het project is opgeslagen.');

  // The first person's save is from version 1 and must not overwrite silently.
  await page.getByLabel('Samenvatting (optioneel)', { exact: true }).fill('Mijn eigen samenvatting.');
  await stip.click(page.getByRole('button', { name: 'Opslaan' }), { status: 409 });
  const conflict = page.locator('#conflict');
  await expect(conflict).toBeFocused();
  await expect(conflict).toHaveRole('alert');
  await expect(conflict.getByRole('heading')).toHaveText('Iemand anders heeft dit project intussen opgeslagen');
  await expect(conflict).toContainText('Bea Beheer');
  const changes = conflict.getByRole('table', { name: 'Wijzigingen door een ander' });
  await expect(changes.getByRole('row', { name: /Fase/ })).toContainText(/uitvoering/i);
  await expect(changes.getByRole('row', { name: /Toelichting op de status/ })).toContainText('Door de beheerder bijgewerkt.');
  await expect(page.getByLabel('Samenvatting (optioneel)', { exact: true })).toHaveValue('Mijn eigen samenvatting.');

  // Saving again, knowingly, stores this person's version on top of the other.
  await stip.click(page.getByRole('button', { name: 'Mijn versie opslaan' }));
  expect(new URL(page.url()).pathname).toBe(`/projecten/${id}`);
  await expect(page.locator('.lead')).toHaveText('Mijn eigen samenvatting.');
  await expect(page.getByRole('table', { name: 'Wijzigingen in versie 3' })).toBeVisible();
});

test('deleting a project is on the edit page and asks for confirmation on a page of its own', async ({ stip, page }) => {
  await stip.login('horizon');
  const title = uniqueTitle('verwijderen');
  // Visible to Horizon only, so that no other test counting the network's projects sees one go.
  const id = await createProject(stip, { title, visibility: 'Instelling' });
  // The project page itself offers no delete button under its history.
  await expect(page.getByRole('link', { name: 'Project verwijderen' })).toHaveCount(0);
  await stip.click(page.getByRole('link', { name: 'Bewerken' }));
  await stip.click(page.getByRole('link', { name: 'Project verwijderen' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${title} verwijderen`);
  await expect(page.locator('main')).toContainText('De wijzigingsgeschiedenis gaat ook weg');

  // Cancelling keeps the project.
  await stip.click(page.getByRole('link', { name: 'Annuleren' }));
  expect(stip.path()).toBe(`/projecten/${id}/bewerken`);
  await stip.click(page.getByRole('link', { name: 'Project verwijderen' }));
  await stip.click(page.getByRole('button', { name: 'Ja, verwijderen' }));
  expect(stip.path()).toBe('/projecten');
  await stip.visit(`/projecten/${id}`, { status: 404 });
});
