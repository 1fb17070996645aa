// Positioning (issue 16) as an information manager meets it: Horizon College, the one demo
// institution not yet plotted, fills in the form (an axis by keyboard, one forgotten and named),
// adds two stakeholders, and finds its scores, its dot on the quadrant and its own score marked
// in the network's distributions, which never name an institution; the printable stakeholder map
// lists both. A reader sees the network only; the beheerder keeps the threshold (never below 3).
// Every page is audited on visit (axe), the error state too, and the pages fit a phone.
const { test, expect } = require('../support/fixtures');
const { expectNoHorizontalScroll, tab, tabTo } = require('../support/checks');

const AXES = ['Strategisch of operationeel', 'ICT of business'];
const ASPECTS = ['Mandaat', 'Bestuurlijk draagvlak', 'Korte versus lange termijn', 'Realisatie versus innovatie', 'Basis op orde versus vernieuwing'];
const ITEMS = [...AXES, ...ASPECTS];

/** What Horizon scores; "Basis op orde versus vernieuwing" stays open (an aspect may). */
const SCORES = {
  'Strategisch of operationeel': 2,
  'ICT of business': 3,
  Mandaat: 4,
  'Bestuurlijk draagvlak': 3,
  'Korte versus lange termijn': 2,
  'Realisatie versus innovatie': 4,
};
const EXPLAINED = {
  'Strategisch of operationeel': 'Vooral bezig met de basis: roosters en de studentadministratie.',
  Mandaat: 'Het college van bestuur geeft ruimte binnen de begroting.',
};

const STAKEHOLDERS = [
  { name: 'College van bestuur', power: '5', interest: '2', note: 'Beslist over het budget', action: 'Elk kwartaal een korte notitie', quadrant: 'Tevreden houden' },
  { name: 'Teamleiders onderwijs', power: '2', interest: '5', note: '', action: 'Maandelijks bijpraten in het teamoverleg', quadrant: 'Informeren' },
];

/** The chart of one axis or aspect: an SVG group named by its title and description. */
function chartOf(where, name) {
  return where.getByRole('group', { name: new RegExp(`^${name} \\d+ instellingen gaven een score van 1 `) });
}

/**
 * The network's distribution of one axis or aspect, read from its table under the chart (opened
 * as a person opens it): the five rows' labels and counts.
 */
async function distribution(network, name) {
  const block = network.locator('.distribution').filter({ has: network.page().getByRole('heading', { level: 3, name, exact: true }) });
  const folded = block.locator('details.as-table');
  if (!(await folded.evaluate((d) => d.open))) await folded.locator('summary').click();
  const table = block.getByRole('table', { name, exact: true });
  await expect(table.getByRole('row')).toHaveCount(5);
  const labels = (await table.getByRole('rowheader').allTextContents()).map((t) => t.trim());
  const counts = (await table.getByRole('cell').allTextContents()).map((t) => Number(t.trim()));
  return { block, labels, counts };
}

test('an information manager plots the institution, names its stakeholders and mirrors it against the network', async ({ stip, page }) => {
  test.setTimeout(120_000);
  await stip.login('horizon');
  // The names of the network's institutions, as the list shows them: none may appear beside the
  // network's numbers.
  await stip.visit('/instellingen');
  const names = (await page.locator('main table tbody th, main table tbody td:first-child').allTextContents()).map((t) => t.trim()).filter(Boolean);
  expect(names).toEqual(expect.arrayContaining(['Horizon College', 'DaVinci College']));

  await stip.click(page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Positionering' }));
  expect(stip.path()).toBe('/positionering');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Positionering');
  const mine = page.getByRole('region', { name: 'Jouw positie' });
  await expect(mine).toContainText('Je instelling heeft zich nog niet geplot.');
  await expect(mine.getByRole('link', { name: 'Stakeholderkaart (0 stakeholders)' })).toBeVisible();
  await expect(mine.getByRole('table', { name: 'Jullie scores' })).toHaveCount(0);

  // The network before: every distribution, without "jullie score" anywhere.
  const network = page.getByRole('region', { name: 'Het netwerk' });
  const answered = Number((await network.getByText(/^\d+ instellingen hebben zich geplot\./).textContent()).match(/^(\d+)/)[1]);
  // The demo has every institution but Horizon plotted; the network shows its last snapshot,
  // renewed only per threshold (5) of new positionings, so it may count fewer (issue 29).
  expect(answered, 'the snapshot counts at most the plotted institutions').toBeLessThanOrEqual(names.length - 1);
  expect(answered, 'and at least the threshold').toBeGreaterThanOrEqual(5);
  const before = {};
  for (const item of ITEMS) {
    const d = await distribution(network, item);
    expect(d.labels, `${item}: the scores 1 to 5`).toHaveLength(5);
    expect(d.labels[0]).toMatch(/^1 · /);
    expect(d.labels[4]).toMatch(/^5 · /);
    expect(d.labels.join(' ')).not.toContain('jullie score');
    before[item] = d.counts;
  }
  await expect(network).not.toContainText('jullie score');

  // ---- The form ----------------------------------------------------------------------------
  await stip.click(mine.getByRole('link', { name: 'Plot je instelling' }));
  expect(stip.path()).toBe('/positionering/bewerken');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Je positie bijwerken');
  for (const item of ITEMS) {
    const group = page.getByRole('group', { name: item, exact: true });
    await expect(group.getByRole('radio'), `${item}: five scores`).toHaveCount(5);
    await expect(group.getByLabel('Toelichting')).toBeVisible();
    for (const radio of await group.getByRole('radio').all()) await expect(radio).not.toBeChecked();
  }
  const so = page.getByRole('group', { name: 'Strategisch of operationeel', exact: true });
  for (const [i, name] of ['1 · strategisch', '2', '3', '4', '5 · operationeel'].entries()) {
    await expect(so.getByRole('radio').nth(i)).toHaveAccessibleName(name);
  }

  // The first axis by keyboard: Tab into the scale, Space to choose, an arrow key to move on.
  const first = so.getByRole('radio', { name: '1 · strategisch', exact: true });
  await tabTo(page, first);
  await page.keyboard.press('Space');
  await expect(first).toBeChecked();
  await page.keyboard.press('ArrowDown');
  const two = so.getByRole('radio', { name: '2', exact: true });
  await expect(two).toBeFocused();
  await expect(two).toBeChecked();
  await expect(first).not.toBeChecked();
  // Tab leaves the scale for its explanation.
  await tab(page);
  await expect(so.getByLabel('Toelichting')).toBeFocused();
  await page.keyboard.type(EXPLAINED['Strategisch of operationeel']);

  // The second axis is forgotten; the aspects are clicked, one left open.
  for (const item of ASPECTS) {
    if (!SCORES[item]) continue;
    const group = page.getByRole('group', { name: item, exact: true });
    await group.getByRole('radio').nth(SCORES[item] - 1).check();
    if (EXPLAINED[item]) await group.getByLabel('Toelichting').fill(EXPLAINED[item]);
  }

  // Two stakeholders in the first two of the empty rows.
  await expect(page.getByRole('heading', { level: 2, name: 'Stakeholders' })).toBeVisible();
  await expect(page.getByRole('group', { name: /^Stakeholder \d+$/ })).toHaveCount(3);
  for (const [i, s] of STAKEHOLDERS.entries()) {
    const row = page.getByRole('group', { name: `Stakeholder ${i + 1}`, exact: true });
    await row.getByLabel('Naam of rol').fill(s.name);
    await expect(row.getByLabel('Invloed').locator('option')).toHaveText(['–', '1 · weinig', '2', '3', '4', '5 · veel']);
    await row.getByLabel('Invloed').selectOption(s.power);
    await row.getByLabel('Belang').selectOption(s.interest);
    await row.getByLabel('Notitie').fill(s.note);
    await row.getByLabel('Wat wil je doen?').fill(s.action);
  }

  // Saving names the forgotten axis, keeps everything typed, and leads to the axis.
  await stip.click(page.getByRole('button', { name: 'Opslaan' }), { status: 422, label: 'positioning form, an axis left empty' });
  await expect(page).toHaveTitle(/^Fout: /);
  const summary = page.locator('#error-summary');
  await expect(summary).toBeVisible();
  await expect(summary).toBeFocused();
  await expect(summary).toHaveRole('alert');
  // One message, naming the axis, next to the axis too.
  await expect(summary.getByRole('link')).toHaveText(['ICT of business: Vul dit veld in.']);
  const ib = page.getByRole('group', { name: 'ICT of business', exact: true });
  await expect(ib).toHaveAccessibleDescription('⚠ Vul dit veld in.');
  await expect(ib.locator('.error')).toBeVisible();
  await expect(two).toBeChecked();
  await expect(so.getByLabel('Toelichting')).toHaveValue(EXPLAINED['Strategisch of operationeel']);
  await expect(page.getByRole('group', { name: 'Mandaat', exact: true }).getByRole('radio', { name: '4', exact: true })).toBeChecked();
  await expect(page.getByRole('group', { name: 'Stakeholder 1', exact: true }).getByLabel('Naam of rol')).toHaveValue(STAKEHOLDERS[0].name);
  await expect(page.getByRole('group', { name: 'Stakeholder 2', exact: true }).getByLabel('Invloed')).toHaveValue(STAKEHOLDERS[1].power);
  await expectNoHorizontalScroll(page, 'the form with an error');

  await summary.getByRole('link').click();
  await expect(ib).toBeFocused();
  // From the named axis by keyboard: Tab to its scale, Space, and two steps to the right.
  await tab(page);
  await expect(ib.getByRole('radio', { name: '1 · ICT', exact: true })).toBeFocused();
  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(ib.getByRole('radio', { name: '3', exact: true })).toBeChecked();
  await expect(ib.getByRole('radio', { name: '3', exact: true })).toBeFocused();
  await stip.click(page.getByRole('button', { name: 'Opslaan' }));
  expect(stip.path()).toBe('/positionering');

  // ---- The overview after saving ------------------------------------------------------------
  await expect(mine).toContainText(/Bijgewerkt op .+ door Hanna Horizon\./);
  await expect(mine).not.toContainText('nog niet geplot');
  // The quadrant: a drawing with a dot labelled "Jij", named and described in words.
  const quadrant = mine.getByRole('img', { name: /^Jouw plek in het kwadrant / });
  await expect(quadrant).toBeVisible();
  await expect(quadrant.locator('text.value')).toHaveText('Jij');
  await expect(quadrant).toHaveAccessibleName(/met een stip op jullie plek\. Strategisch of operationeel: 2\. ICT of business: 3\.$/);
  const scores = mine.getByRole('table', { name: 'Jullie scores' });
  for (const item of ITEMS) {
    const row = scores.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${item} `) }) });
    await expect(row.getByRole('cell').first(), `${item}: own score`).toHaveText(SCORES[item] ? String(SCORES[item]) : '–');
    await expect(row.getByRole('cell').last()).toHaveText(EXPLAINED[item] || '');
  }
  await expect(mine.getByRole('link', { name: 'Positie bijwerken' })).toBeVisible();
  await expect(mine.getByRole('link', { name: 'Plot je instelling' })).toHaveCount(0);
  await expect(mine.getByRole('link', { name: 'Stakeholderkaart (2 stakeholders)' })).toBeVisible();

  // One institution's save does not move the network's numbers (they would give its answers away
  // by difference, issue 29): the snapshot waits for the threshold of new positionings. The own
  // score is marked in each chart and table.
  await expect(network).toContainText(`${answered} instellingen hebben zich geplot.`);
  for (const item of ITEMS) {
    const { block, labels, counts } = await distribution(network, item);
    const own = SCORES[item];
    expect(counts, `${item}: the counts as before Horizon's save`).toEqual(before[item]);
    const chart = chartOf(block, item);
    if (own) {
      expect(labels[own - 1], `${item}: the own score's row`).toMatch(/\(jullie score\)$/);
      expect(labels.filter((l) => l.includes('jullie score'))).toHaveLength(1);
      await expect(chart.locator('text.label').nth(own - 1)).toHaveText(labels[own - 1]);
      await expect(chart.locator('rect.bar.mine')).toHaveCount(1);
      await expect(block.getByText(/^Mediaan: \d(,\d)? · jullie score: \d$/)).toHaveText(new RegExp(`jullie score: ${own}$`));
    } else {
      expect(labels.join(' ')).not.toContain('jullie score');
      await expect(block.getByText(/^Mediaan: \d(,\d)?$/)).toBeVisible();
    }
  }
  await stip.audit('positioning with the tables opened');
  // Anonymous: no institution's name (nor BRIN) beside the network's numbers, nor in its file.
  const networkText = await network.innerText();
  for (const name of names) expect(networkText, 'the network section names no institution').not.toContain(name);
  expect(networkText).not.toMatch(/\b\d\d[A-Z]{2}\b/);
  const csvLink = network.getByRole('link', { name: 'Verdeling downloaden (CSV)' });
  await expect(csvLink).toHaveAttribute('href', '/positionering/netwerk.csv');
  const csv = await page.request.get('/positionering/netwerk.csv');
  expect(csv.status()).toBe(200);
  expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
  const csvText = await csv.text();
  for (const item of ITEMS) expect(csvText).toContain(item);
  expect(csvText).toContain('Jullie score');
  for (const name of names) expect(csvText, 'the CSV names no institution').not.toContain(name);
  await page.setViewportSize({ width: 375, height: 800 });
  await expectNoHorizontalScroll(page, '/positionering at 375px');
  await stip.audit('positioning at 375px');
  await page.setViewportSize({ width: 1280, height: 800 });

  // ---- Updating opens the form with what was saved, and three empty stakeholder rows -------
  await stip.click(mine.getByRole('link', { name: 'Positie bijwerken' }));
  await expect(page.getByRole('group', { name: 'Strategisch of operationeel', exact: true }).getByRole('radio', { name: '2', exact: true })).toBeChecked();
  await expect(page.getByRole('group', { name: 'ICT of business', exact: true }).getByRole('radio', { name: '3', exact: true })).toBeChecked();
  for (const radio of await page.getByRole('group', { name: 'Basis op orde versus vernieuwing', exact: true }).getByRole('radio').all()) await expect(radio).not.toBeChecked();
  await expect(page.getByRole('group', { name: /^Stakeholder \d+$/ })).toHaveCount(5);
  await expect(page.getByRole('group', { name: 'Stakeholder 2', exact: true }).getByLabel('Wat wil je doen?')).toHaveValue(STAKEHOLDERS[1].action);
  await expect(page.getByRole('group', { name: 'Stakeholder 3', exact: true }).getByLabel('Naam of rol')).toHaveValue('');
  await stip.click(page.locator('main .crumbs').getByRole('link', { name: 'Positionering' }));

  // ---- The printable stakeholder map --------------------------------------------------------
  await stip.click(mine.getByRole('link', { name: 'Stakeholderkaart (2 stakeholders)' }));
  expect(stip.path()).toBe('/positionering/stakeholders');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Stakeholderkaart');
  await expect(page.locator('main')).toContainText('Deze pagina is geschikt om af te drukken.');
  const map = page.getByRole('img', { name: 'Stakeholderkaart' });
  await expect(map).toBeVisible();
  await expect(map.locator('text.dot-label')).toHaveText(['1', '2']);
  for (const quadrant of ['Nauw betrekken', 'Tevreden houden', 'Informeren', 'In de gaten houden']) {
    await expect(map.getByText(quadrant, { exact: true })).toBeVisible();
  }
  const table = page.getByRole('table', { name: 'Stakeholders met hun invloed, belang en wat je wilt doen' });
  await expect(table.getByRole('columnheader')).toHaveText(['#', 'Naam of rol', 'Invloed', 'Belang', 'Aanpak', 'Notitie', 'Wat wil je doen?']);
  const rows = table.locator('tbody tr');
  await expect(rows).toHaveCount(STAKEHOLDERS.length);
  for (const [i, s] of STAKEHOLDERS.entries()) {
    await expect(rows.nth(i).locator('th, td')).toHaveText([String(i + 1), s.name, s.power, s.interest, s.quadrant, s.note, s.action]);
  }
  await expect(page.getByRole('link', { name: 'Stakeholders bijwerken' })).toHaveAttribute('href', '/positionering/bewerken#stakeholders-title');
  await page.setViewportSize({ width: 375, height: 800 });
  await expectNoHorizontalScroll(page, '/positionering/stakeholders at 375px');
  await stip.audit('the stakeholder map at 375px');
});

test('a reader sees the network, without a position of their own to update', async ({ stip, page }) => {
  await stip.login('lezer');
  await stip.click(page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Positionering' }));
  expect(stip.path()).toBe('/positionering');
  await expect(page.getByRole('region', { name: 'Jouw positie' })).toHaveCount(0);
  const network = page.getByRole('region', { name: 'Het netwerk' });
  await expect(network).toContainText(/\d+ instellingen hebben zich geplot\./);
  for (const item of ITEMS) {
    await expect(chartOf(network, item), `${item}: a chart`).toBeVisible();
    await expect(network.getByText(`${item} als tabel`, { exact: true })).toBeVisible();
  }
  await expect(network.getByText(/^Mediaan: /)).toHaveCount(ITEMS.length);
  await expect(network.getByRole('link', { name: 'Verdeling downloaden (CSV)' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Positie bijwerken' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Plot je instelling' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: /^Stakeholderkaart/ })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Instellingen van de positionering' })).toHaveCount(0);
  for (const name of ['Horizon College', 'DaVinci College']) await expect(network).not.toContainText(name);
  // The form and the settings are not theirs.
  await stip.visit('/positionering/bewerken', { status: 403 });
  await stip.visit('/positionering/instellingen', { status: 403 });
});

test('the beheerder keeps the threshold and the aspects, never below three institutions', async ({ stip, page }) => {
  await stip.login('beheerder');
  await stip.visit('/positionering');
  await expect(page.getByRole('region', { name: 'Jouw positie' })).toHaveCount(0);
  await stip.click(page.getByRole('link', { name: 'Instellingen van de positionering' }));
  expect(stip.path()).toBe('/positionering/instellingen');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Instellingen van de positionering');
  const threshold = page.getByLabel('Minimaal aantal instellingen');
  await expect(threshold).toHaveValue('5');
  await expect(threshold).toHaveAccessibleDescription(/Nooit minder dan 3\./);
  // Every aspect a row of four fields, then empty rows to add one.
  for (const [i, name] of ASPECTS.entries()) {
    const row = page.getByRole('group', { name: `Aspect ${i + 1}`, exact: true });
    await expect(row.getByLabel('Code')).not.toHaveValue('');
    await expect(row.getByLabel('Naam', { exact: true })).toHaveValue(name);
    await expect(row.getByLabel('Betekenis van 1')).not.toHaveValue('');
    await expect(row.getByLabel('Betekenis van 5')).not.toHaveValue('');
  }
  await expect(page.getByRole('group', { name: `Aspect ${ASPECTS.length + 1}`, exact: true }).getByLabel('Code')).toHaveValue('');

  // Two is refused, named and linked; nothing is saved.
  await threshold.fill('2');
  await stip.click(page.getByRole('button', { name: 'Opslaan' }), { status: 422, label: 'positioning settings, threshold 2' });
  const summary = page.locator('#error-summary');
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveText([/Minimaal aantal instellingen.*3 tot en met 1000/]);
  await expect(threshold).toHaveAttribute('aria-invalid', 'true');
  await expect(threshold).toHaveValue('2');
  await summary.getByRole('link').click();
  await expect(threshold).toBeFocused();
  await stip.visit('/positionering/instellingen');
  await expect(page.getByLabel('Minimaal aantal instellingen')).toHaveValue('5');
});
