// Surveys as the network runs them: the regiegroep builds one with plain buttons (add, move,
// remove), previews it and opens it; an information manager finds it on the home page, fills it
// in by keyboard with the draft saved as they type, is told what is missing, and submits; the
// results page shows counts, charts with their tables, the theme ranking and the open answers,
// and the printable appendix. Every page is audited on visit (axe) and fits a phone.
const { test, expect } = require('../support/fixtures');
const { expectNoHorizontalScroll, tabTo } = require('../support/checks');

const DEMO_SURVEY = 'Netwerkenquête strategische agenda digitalisering';

test('the regiegroep builds a survey with buttons, previews it and opens it', async ({ stip, page }) => {
  await stip.login('regiegroep');
  await stip.visit('/enquetes');
  await stip.click(page.getByRole('link', { name: 'Nieuwe enquête' }));
  await page.getByLabel('Sjabloon').selectOption('');
  const title = `Datagedreven sturen ${Date.now()}`;
  await page.getByLabel('Titel', { exact: true }).fill(title);
  await stip.click(page.getByRole('button', { name: 'Enquête maken' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Enquête bewerken');

  // A first question: single choice.
  await stip.click(page.getByRole('button', { name: 'Vraag toevoegen' }));
  const first = page.locator('#q0');
  await first.getByLabel('Soort antwoord').selectOption('single');
  await first.getByLabel('Vraag', { exact: true }).fill('Werken jullie met een datastrategie?');
  await first.getByLabel('Keuzes').fill('Ja\nIn voorbereiding\nNee');
  // A second: open, required. Adding keeps what was typed in the first.
  await stip.click(page.getByRole('button', { name: 'Vraag toevoegen' }));
  await expect(page.locator('#q0').getByLabel('Keuzes')).toHaveValue('Ja\nIn voorbereiding\nNee');
  const second = page.locator('#q1');
  await second.getByLabel('Vraag', { exact: true }).fill('Wat is jullie belangrijkste vraag aan het netwerk?');
  await second.getByLabel('Verplicht').check();
  // Move it up, by keyboard.
  const up = second.getByRole('button', { name: /^Omhoog/ });
  await tabTo(page, up);
  await stip.press('Enter');
  await expect(page.getByRole('status')).toHaveText('Opgeslagen.');
  await expect(page.locator('#q0').getByLabel('Vraag', { exact: true })).toHaveValue('Wat is jullie belangrijkste vraag aan het netwerk?');
  await expect(page.locator('#q1').getByLabel('Keuzes')).toHaveValue('Ja\nIn voorbereiding\nNee');
  await expectNoHorizontalScroll(page);

  // A choice question needs two options: refused, named, nothing lost.
  await page.locator('#q1').getByLabel('Keuzes').fill('Ja');
  await stip.click(page.getByRole('button', { name: 'Opslaan' }), { status: 422 });
  await expect(page.locator('#error-summary')).toContainText('Vraag 2, Keuzes');
  await page.locator('#q1').getByLabel('Keuzes').fill('Ja\nNee');
  await stip.click(page.getByRole('button', { name: 'Opslaan' }));

  await stip.click(page.getByRole('link', { name: 'Bekijk als respondent' }));
  await expect(page.getByText('Dit is een voorbeeld')).toBeVisible();
  await expect(page.getByRole('group', { name: /Werken jullie met een datastrategie\?/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Indienen' })).toHaveCount(0);

  await stip.visit('/enquetes');
  await stip.click(page.getByRole('link', { name: title }));
  await stip.click(page.getByRole('button', { name: 'Enquête openen' }));
  await expect(page.getByRole('heading', { name: 'Voortgang per instelling' })).toBeVisible();
  const row = page.getByRole('row', { name: /Horizon College/ });
  await expect(row).toContainText('Nog niets ingevuld');
  await expect(row.getByRole('textbox')).toHaveValue(/\/enquete\/[A-Za-z0-9_-]{40,}$/);
  await expect(page.getByLabel('Herinnering om te versturen')).toHaveValue(new RegExp(title));
});

test('an information manager answers from the home page, by keyboard, and nothing typed is lost', async ({ stip, page }) => {
  await stip.login('horizon');
  await stip.visit('/');
  const waiting = page.getByRole('region', { name: 'Enquêtes die op je antwoord wachten' });
  await stip.click(waiting.getByRole('link', { name: DEMO_SURVEY }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(DEMO_SURVEY);
  await expect(page.getByText('Voor Horizon College')).toBeVisible();

  // Themes get a place without dragging: a choice per theme.
  await page.getByLabel('Data-ondersteund onderwijs', { exact: true }).selectOption('1');
  await page.getByLabel('Leermiddelen', { exact: true }).selectOption('2');
  const what = page.getByLabel(/^2\. Wat speelt er binnen jouw instelling/);
  await tabTo(page, what);
  await page.keyboard.type('We bouwen een dashboard voor studievoortgang.');
  // Saved as a draft while typing, and said so politely.
  await expect(page.locator('#autosave-status')).toHaveText(/^Concept automatisch opgeslagen/, { timeout: 10_000 });
  await stip.visit(stip.path());
  await expect(page.getByLabel(/^2\. Wat speelt er binnen jouw instelling/)).toHaveValue('We bouwen een dashboard voor studievoortgang.');
  await expect(page.getByLabel('Data-ondersteund onderwijs', { exact: true })).toHaveValue('1');

  // A required question left open: named, and the rest stays.
  await stip.click(page.getByRole('button', { name: 'Indienen' }), { status: 422 });
  const summary = page.locator('#error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('Vraag 6: Deze vraag is verplicht');
  await expect(page.getByLabel(/^2\. Wat speelt er binnen jouw instelling/)).toHaveValue('We bouwen een dashboard voor studievoortgang.');
  await expectNoHorizontalScroll(page);

  await page.getByLabel(/^6\. Welke rol speelt informatiemanagement/).fill('We vertalen de thema\'s naar de portfolio.');
  await page.getByRole('group', { name: /^7\. Hoeveel invloed/ }).getByRole('radio', { name: '4', exact: true }).check();
  await stip.click(page.getByRole('button', { name: 'Indienen' }));
  await expect(page.getByRole('heading', { name: 'Ingediend' })).toBeVisible();
  await expect(page.locator('dl.given')).toContainText('We vertalen de thema\'s naar de portfolio.');
  await expect(page.getByRole('button', { name: 'Indienen' })).toHaveCount(0);
});

test('the results show counts with their tables, the theme ranking, open answers and the appendix', async ({ stip, page }) => {
  await stip.login('regiegroep');
  await stip.visit('/enquetes');
  await stip.click(page.getByRole('link', { name: DEMO_SURVEY }));
  await stip.click(page.getByRole('link', { name: 'Resultaten' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Resultaten: ${DEMO_SURVEY}`);
  await expect(page.locator('.lead')).toHaveText(/^\d+ ingediende antwoorden/);
  const ranking = page.locator('table.ranking');
  await expect(ranking.getByRole('columnheader', { name: 'Punten' })).toBeVisible();
  await expect(ranking.locator('tbody tr').first().locator('td').first()).toHaveText('1');
  await expect(page.locator('svg.chart title').first()).toHaveText(/Welke thema's/);
  await expect(page.locator('.open-answers .who').first()).toHaveText(/^— \S/);
  await expect(page.getByRole('link', { name: 'Excel (XLSX)' })).toHaveAttribute('href', /\/api\/v1\/surveys\/\d+\/export\?format=xlsx/);
  await expectNoHorizontalScroll(page);
  await stip.click(page.getByRole('link', { name: 'afdrukbare bijlage' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Bijlage: ${DEMO_SURVEY}`);
  await expect(page.locator('table.ranking')).toBeVisible();
});

test('every survey page fits a phone', async ({ stip, page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await stip.login('regiegroep');
  await stip.visit('/enquetes');
  await stip.click(page.getByRole('link', { name: DEMO_SURVEY }));
  const overview = stip.path();
  for (const path of ['/enquetes', '/enquetes/nieuw', overview, `${overview}/bewerken`, `${overview}/voorbeeld`, `${overview}/resultaten`, `${overview}/bijlage`]) {
    await stip.visit(path);
    await expectNoHorizontalScroll(page, path);
  }
});
