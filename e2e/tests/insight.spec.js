// Network insight as an information manager meets it: the overview as home page with numbers
// that lead to the projects they count, the balance against the network, the cross-links, the
// roadmap, search that knows Dutch word forms, and similar projects to call about. Every page
// is audited on visit (axe) and reflows to a phone without sideways scrolling.
const { test, expect } = require('../support/fixtures');
const { expectNoHorizontalScroll, tabTo } = require('../support/checks');

test('the home page is the network overview, and a number leads to the projects it counts', async ({ stip, page }) => {
  await stip.login('horizon');
  await stip.visit('/');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Netwerkoverzicht');
  await expect(page.locator('#result-count')).toHaveText(/^Op basis van \d+ zichtbare projecten\.$/);
  const heatmap = page.locator('table.heatmap');
  await expect(heatmap.getByRole('columnheader', { name: 'Leven lang ontwikkelen' })).toBeVisible();
  // The first number in the map: its label says what it counts, and the list agrees.
  const cell = heatmap.locator('tbody td:not(.total) a').first();
  const label = await cell.getAttribute('aria-label');
  const n = Number((await cell.textContent()).trim());
  expect(label).toMatch(/^.+, .+: \d+$/);
  await stip.click(cell);
  expect(stip.path()).toMatch(/^\/projecten\?institution=\w{4}&theme=/);
  await expect(page.locator('#result-count')).toHaveText(n === 1 ? '1 project gevonden' : `${n} projecten gevonden`);
});

test('the overview switches to budget and keeps the filters on every insight page', async ({ stip, page }) => {
  await stip.login('horizon');
  await stip.visit('/inzicht?phase=uitvoering');
  await stip.click(page.getByRole('link', { name: 'budget', exact: true }));
  await expect(page.getByRole('heading', { name: 'Budget per instelling en thema' })).toBeVisible();
  await expect(page.locator('.active-filters')).toContainText('Fase: Uitvoering');
  await stip.click(page.locator('nav.subnav').getByRole('link', { name: 'Balans' }));
  expect(stip.path()).toBe('/inzicht/balans?phase=uitvoering');
  await expect(page.locator('.active-filters')).toContainText('Fase: Uitvoering');
  // The balance compares the own institution with the network, as a chart and as a table.
  await expect(page.locator('svg.stacks').first()).toContainText('Horizon College');
  await page.getByText('Karakter als tabel').click();
  await expect(page.getByRole('table', { name: 'Karakter' }).getByRole('rowheader', { name: 'Netwerk' })).toBeVisible();
});

test('a pair of themes in the cross-links lists the projects behind its number', async ({ stip, page }) => {
  await stip.login('horizon');
  await stip.visit('/inzicht/dwarsverbanden');
  const first = page.locator('table.matrix tbody a').first();
  const n = Number((await first.textContent()).trim());
  await stip.click(first);
  const pair = page.locator('#paar');
  await expect(pair.getByRole('heading', { level: 2 })).toBeVisible();
  await expect(pair).toContainText(n === 1 ? '1 project heeft beide thema\'s.' : `${n} projecten hebben beide thema's.`);
  await stip.click(pair.getByRole('link', { name: 'Bekijk ze in het portfolio' }));
  await expect(page.locator('#result-count')).toHaveText(n === 1 ? '1 project gevonden' : `${n} projecten gevonden`);
});

test('the roadmap draws projects on a timeline with today marked, grouped two ways', async ({ stip, page }) => {
  await stip.login('horizon');
  await stip.visit('/inzicht/roadmap');
  const timeline = page.locator('svg.timeline');
  await expect(timeline).toContainText('vandaag');
  await expect(timeline.locator('a').first()).toHaveAttribute('href', /^\/projecten\/\d+$/);
  await stip.click(page.getByRole('link', { name: 'instelling', exact: true }));
  await expect(timeline.locator('text.group').first()).toContainText('College');
});

test('search finds Dutch word forms, marks them, and finds a peer by typing', async ({ stip, page }) => {
  await stip.login('horizon');
  await stip.visit('/zoeken');
  const box = page.getByLabel('Zoek in alle projecten');
  await box.fill('leermiddel');
  await stip.press('Enter');
  await expect(page.locator('#result-count')).toHaveText(/projecten? gevonden\.$/);
  await expect(page.locator('ol.hits mark').first()).toHaveText(/^leermiddel/i);
  // The institution filter takes part of a name; without JavaScript the server resolves it.
  await page.locator('#filters > summary').click();
  await page.getByLabel('Instelling').fill('Horizon');
  await stip.click(page.locator('#filters').getByRole('button', { name: 'Filteren' }));
  await expect(page.locator('.active-filters')).toContainText('Instelling: Horizon College');
  for (const hit of await page.locator('ol.hits li .muted').allTextContents()) {
    expect(hit).toContain('Horizon College');
  }
});

test('a project page names similar projects at other institutions, with why', async ({ stip, page }) => {
  await stip.login('horizon');
  await stip.visit('/projecten?institution=25LN');
  await stip.click(page.locator('table.projects tbody a').first());
  const similar = page.getByRole('region', { name: 'Vergelijkbare projecten' });
  await expect(similar).toBeVisible();
  const items = similar.locator('li');
  if (await items.count() > 0) {
    await expect(items.first()).not.toContainText('Horizon College');
    await expect(items.first()).toContainText(/Zelfde (thema's|woorden):/);
  }
});

for (const url of ['/', '/inzicht/balans', '/inzicht/dwarsverbanden?paar=leermiddelen,llo', '/inzicht/roadmap', '/zoeken?q=dashboard', '/themas/llo']) {
  test(`no sideways scrolling at phone width on ${url}`, async ({ stip, page }) => {
    await page.setViewportSize({ width: 375, height: 800 });
    await stip.login('horizon');
    await stip.visit(url);
    await expectNoHorizontalScroll(page, url);
  });
}

test('the heatmap is reachable by keyboard and its scrolling region can take focus', async ({ stip, page }) => {
  await stip.login('horizon');
  await stip.visit('/inzicht');
  const region = page.locator('.table-scroll[role=region]').first();
  await tabTo(page, region);
  await expect(region).toBeFocused();
});
