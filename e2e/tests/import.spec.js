// Importing an overview as an informatiemanager does it: from the portfolio to the import page,
// choose the file, read per row what happens (with the keyboard, every page audited), fix the
// mapping where needed, confirm, and find the projects in the portfolio. Each test imports rows
// with titles of its own, so tests beside it never meet them.
const { test, expect } = require('../support/fixtures');
const { tabTo, expectNoHorizontalScroll } = require('../support/checks');
const { uniqueTitle } = require('../support/projects');

/** A CSV as Dutch Excel saves it: `;`-separated, with a title row above the header. */
function overview(rows) {
  const lines = ['Projectoverzicht Horizon College;;;;', 'Projectnaam;Fase;Startdatum;Budget;Thema'];
  for (const r of rows) lines.push([r.title, r.phase, r.start, r.budget, r.theme].join(';'));
  return { name: 'overzicht.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n') + '\r\n', 'utf8') };
}

test('an overview is previewed row by row and imported on confirmation, by keyboard', async ({ stip, page }) => {
  const title = uniqueTitle('Import');
  await stip.login('horizon');
  await stip.visit('/projecten');
  const link = page.getByRole('link', { name: 'Importeren' });
  await tabTo(page, link);
  await stip.press('Enter');
  expect(stip.path()).toBe('/projecten/importeren');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Projecten importeren');

  await page.getByLabel('Bestand', { exact: true }).setInputFiles(overview([
    { title, phase: 'In uitvoering', start: '3-2-2021', budget: '€ 12.500,00', theme: 'data ondersteund onderwijs' },
  ]));
  await tabTo(page, page.getByRole('button', { name: 'Bestand bekijken' }));
  await stip.press('Enter');
  expect(stip.path()).toMatch(/^\/projecten\/importeren\/\d+$/);
  await expect(page.locator('.lead')).toContainText('kolomnamen in rij 2');
  await expect(page.getByRole('link', { name: '1 nieuw' })).toBeVisible();
  // Every column's field choice is named by the column, as a screen reader announces it.
  await expect(page.getByRole('combobox', { name: 'Startdatum' })).toHaveValue('start_date');
  await expect(page.getByRole('combobox', { name: 'Projectnaam' })).toHaveValue('title');
  const rows = page.getByRole('table', { name: 'Rijen' });
  await expect(rows.getByRole('row', { name: new RegExp(title) })).toContainText('nieuw');

  await tabTo(page, page.getByRole('button', { name: 'Importeren', exact: true }));
  await stip.press('Enter');
  const done = page.getByRole('status').filter({ hasText: 'Geïmporteerd' });
  await expect(done).toContainText('1 nieuw, 0 gewijzigd, 0 ongewijzigd.');
  await stip.click(done.getByRole('link', { name: 'Naar het portfolio van Horizon College' }));
  await expect(page.getByRole('link', { name: title })).toBeVisible();
});

test('problems are named by row and column, a column can be left out, and the page fits a phone', async ({ stip, page }) => {
  const good = uniqueTitle('Import goed');
  const wrong = uniqueTitle('Import fout');
  await stip.login('horizon');
  await page.setViewportSize({ width: 375, height: 740 });
  await stip.visit('/projecten/importeren');
  await expectNoHorizontalScroll(page, 'the upload form at 375px');
  await page.getByLabel('Bestand', { exact: true }).setInputFiles(overview([
    { title: good, phase: 'idee', start: '1-9-2025', budget: '1000', theme: 'LLO' },
    { title: wrong, phase: 'idee', start: '31-02-2021', budget: 'twaalf euro', theme: 'LLO' },
  ]));
  await stip.click(page.getByRole('button', { name: 'Bestand bekijken' }));
  await expectNoHorizontalScroll(page, 'the preview with problems at 375px');
  await expect(page.getByText("rij 4, kolom 'Startdatum': '31-02-2021' is geen datum; schrijf bijvoorbeeld 31-12-2025.")).toBeVisible();
  await expect(page.getByText("rij 4, kolom 'Budget': 'twaalf euro' is geen bedrag of getal")).toBeVisible();
  await expect(page.getByRole('button', { name: 'Importeren', exact: true })).toHaveCount(0);

  // Leaving the two columns out: no problems left, and the import can go ahead.
  await page.getByRole('combobox', { name: 'Startdatum' }).selectOption('');
  await page.getByRole('combobox', { name: 'Budget' }).selectOption('');
  await stip.click(page.getByRole('button', { name: 'Koppeling toepassen' }));
  await expect(page.getByRole('link', { name: '2 nieuw' })).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Startdatum' })).toHaveValue('');
  await page.setViewportSize({ width: 1280, height: 800 });
  await stip.audit('preview at 1280');
  await stip.click(page.getByRole('button', { name: 'Importeren', exact: true }));
  await expect(page.getByRole('status').filter({ hasText: 'Geïmporteerd' })).toContainText('2 nieuw');
});

test('a row without a theme gets a proposal, taken for one row with the keyboard or for all, never by itself', async ({ stip, page }) => {
  const analytics = uniqueTitle('Vroegsignalering van uitval met learning analytics');
  const chatbot = uniqueTitle('Chatbots voor studentvragen en AI-toepassingen');
  await stip.login('horizon');
  await stip.visit('/projecten/importeren');
  const lines = ['Projectnaam;Omschrijving;Fase',
    `${analytics};Een dashboard studiesucces met data over uitval;uitvoering`,
    `${chatbot};Een innovatielab voor slimme leeromgevingen;idee`];
  await page.getByLabel('Bestand', { exact: true }).setInputFiles(
    { name: 'zonder-thema.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n') + '\r\n', 'utf8') });
  await stip.click(page.getByRole('button', { name: 'Bestand bekijken' }));
  await expect(page.getByText('Bij 2 rijen kan Stip het thema niet lezen')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Importeren', exact: true })).toHaveCount(0);

  // One row by keyboard: the select is named, its description is the proposal and why.
  const first = page.getByRole('combobox', { name: 'Hoofdthema voor deze rij' }).first();
  await expect(first).toHaveAccessibleDescription(/Stip stelt ‘Data-ondersteund onderwijs’ voor/);
  await first.selectOption({ label: 'Data-ondersteund onderwijs (voorstel)' });
  await first.focus();
  await tabTo(page, page.getByRole('button', { name: 'Toepassen', exact: true }).first());
  await stip.press('Enter');
  await expect(page.getByRole('link', { name: '1 nieuw' })).toBeVisible();
  await expect(page.getByRole('link', { name: '1 met een probleem' })).toBeVisible();

  // The rest all at once; the page fits a phone.
  await stip.click(page.getByRole('button', { name: 'Alle voorstellen overnemen' }));
  await expect(page.getByRole('link', { name: '2 nieuw' })).toBeVisible();
  await expect(page.getByText('Thema ‘Innovatie’ overgenomen')).toBeVisible();
  await page.setViewportSize({ width: 375, height: 740 });
  await expectNoHorizontalScroll(page, 'the preview with proposals at 375px');
  await page.setViewportSize({ width: 1280, height: 800 });
  await stip.click(page.getByRole('button', { name: 'Importeren', exact: true }));
  await expect(page.getByRole('status').filter({ hasText: 'Geïmporteerd' })).toContainText('2 nieuw');
});
