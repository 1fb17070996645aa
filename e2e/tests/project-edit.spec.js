// Creating and editing a project through its form: a validation error, a successful save, the
// change on record, merging with what someone else saved first, a save without changes, and
// deleting with confirmation.
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
  await page.getByLabel('Budget').fill('12.500,50');
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
  await page.getByLabel('Budget').fill('veel geld');
  await page.getByLabel('Einddatum').fill('2020-01-01');
  await page.getByLabel('Startdatum').fill('2021-01-01');
  await stip.click(page.getByRole('button', { name: 'Opslaan' }), { status: 422 });

  const summary = page.locator('#error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText(['Vul een einddatum in die na de startdatum ligt.', "Vul het budget in euro's in, bijvoorbeeld 12.500 of 12.500,50."]);
  await expect(page.getByLabel('Budget')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Budget')).toHaveValue('veel geld');
  await expect(page.getByLabel('Titel', { exact: true })).toHaveValue(title);
  await expect(page.getByRole('combobox', { name: 'Instelling' })).toHaveValue('25LK');
});

test('two people save from the same version: what only the other changed stays, what only I changed is mine', async ({ stip, page, browser }) => {
  await stip.login('horizon');
  const title = uniqueTitle('samenvoegen');
  const id = await createProject(stip, { title });

  // Two people open the same edit form; the beheerder sets the status to Rood and saves first.
  await stip.visit(`/projecten/${id}/bewerken`);
  const other = await stip.another(browser, 'beheerder');
  await other.visit(`/projecten/${id}/bewerken`);
  await other.page.getByLabel('Status', { exact: true }).selectOption({ label: 'Rood' });
  await other.click(other.page.getByRole('button', { name: 'Opslaan' }));
  await expect(other.page.getByRole('status')).toHaveText('Het project is opgeslagen.');

  // The first form, opened before, changes only the title and the status note.
  await page.getByLabel('Titel', { exact: true }).fill(`${title} (herzien)`);
  await page.getByLabel('Toelichting op de status').fill('Wacht op de leverancier.');
  await stip.click(page.getByRole('button', { name: 'Opslaan' }));
  await expect(page.getByRole('status')).toContainText('Het project is opgeslagen.');
  await expect(page.getByRole('status')).toContainText('is ook bewaard');
  await expect(page.locator('#saved')).toBeFocused();
  await expect(page.locator('.facts')).toContainText('Rood — Wacht op de leverancier.');
  const mine = page.getByRole('table', { name: 'Wijzigingen in versie 3' });
  await expect(mine.locator('tbody th')).toHaveText(['Titel', 'Toelichting op de status']);
});

test('a field changed in two tabs is a choice between both values, and the other tab is "jou"', async ({ stip, page }) => {
  await stip.login('horizon');
  const id = await createProject(stip, { title: uniqueTitle('twee tabbladen') });
  await stip.visit(`/projecten/${id}/bewerken`);
  const tab = await stip.anotherTab();
  await tab.visit(`/projecten/${id}/bewerken`);
  await tab.page.getByLabel('Status', { exact: true }).selectOption({ label: 'Rood' });
  await tab.click(tab.page.getByRole('button', { name: 'Opslaan' }));

  await page.getByLabel('Status', { exact: true }).selectOption({ label: 'Oranje' });
  await page.getByLabel('Samenvatting (optioneel)', { exact: true }).fill('Mijn eigen samenvatting.');
  await stip.click(page.getByRole('button', { name: 'Opslaan' }), { status: 409 });
  const conflict = page.getByRole('region', { name: 'Dit project is intussen ook gewijzigd' });
  await expect(conflict).toBeFocused();
  await expect(conflict).toContainText('Opgeslagen door jou, in een ander tabblad of venster');
  await expect(conflict).not.toContainText('Hanna Horizon');
  const choice = conflict.getByRole('group', { name: 'Status' });
  await expect(choice.getByRole('radio', { name: 'De opgeslagen waarde houden:' })).toHaveAccessibleDescription('Rood');
  await expect(choice.getByRole('radio', { name: 'Mijn wijziging houden (staat in het formulier):' })).toHaveAccessibleDescription('Oranje');
  // Only the status is a choice; my summary is in the form, nothing is saved yet.
  await expect(conflict.getByRole('radio')).toHaveCount(2);
  await expect(page.getByLabel('Samenvatting (optioneel)', { exact: true })).toHaveValue('Mijn eigen samenvatting.');

  // Saving without choosing asks again, naming the field, and the link leads to the choice.
  await stip.click(page.getByRole('button', { name: 'Opslaan' }), { status: 409 });
  const summary = page.locator('#error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText(['Kies bij ‘Status’ welke waarde blijft.']);
  await summary.getByRole('link').click();
  const keepSaved = page.getByRole('group', { name: 'Status' }).getByRole('radio', { name: 'De opgeslagen waarde houden:' });
  await expect(keepSaved).toBeFocused();
  await page.keyboard.press('Space');
  await expect(keepSaved).toBeChecked();
  await stip.click(page.getByRole('button', { name: 'Opslaan' }));
  await expect(page.locator('.facts')).toContainText('Rood');
  await expect(page.locator('.lead')).toHaveText('Mijn eigen samenvatting.');
});

test('saving a form without changes leaves no history; texts with line breaks stay one change', async ({ stip, page }) => {
  await stip.login('horizon');
  const id = await createProject(stip, { title: uniqueTitle('niets gewijzigd') });
  await stip.click(page.getByRole('link', { name: 'Bewerken' }));
  await page.getByLabel('Beschrijving (optioneel)').fill('Eerste regel.\nTweede regel.');
  await stip.click(page.getByRole('button', { name: 'Opslaan' }));
  const second = page.getByRole('table', { name: 'Wijzigingen in versie 2' });
  // The history shows the text with its line breaks, and when in Dutch.
  const cell = second.getByRole('row', { name: /Beschrijving/ }).getByRole('cell').last();
  expect(await cell.innerText()).toBe('Eerste regel.\nTweede regel.');
  await expect(page.locator('.history time').first()).toHaveText(/^\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december) \d{4}, \d{2}:\d{2}$/);

  // The browser sends the description back with \r\n: still no change.
  await stip.click(page.getByRole('link', { name: 'Bewerken' }));
  await stip.click(page.getByRole('button', { name: 'Opslaan' }));
  expect(stip.path()).toBe(`/projecten/${id}?opgeslagen=1`);
  await expect(page.getByRole('table', { name: 'Wijzigingen in versie 2' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Wijzigingen in versie 3' })).toHaveCount(0);
  await expect(page.locator('.history > li')).toHaveCount(2);
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
  await expect(page.locator('main')).toContainText('De wijzigingsgeschiedenis verdwijnt ook');

  // Cancelling keeps the project.
  await stip.click(page.getByRole('link', { name: 'Annuleren' }));
  expect(stip.path()).toBe(`/projecten/${id}/bewerken`);
  await stip.click(page.getByRole('link', { name: 'Project verwijderen' }));
  await stip.click(page.getByRole('button', { name: 'Ja, verwijderen' }));
  expect(stip.path()).toBe('/projecten');
  await stip.visit(`/projecten/${id}`, { status: 404 });
});
