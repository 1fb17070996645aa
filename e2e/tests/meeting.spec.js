// Network meetings as the regiegroep plans them and members read them: the form (theme, case,
// agenda rows), the meeting's page with "ik kom", and the report. Every page is audited on visit
// (axe) and fits a phone.
const { test, expect } = require('../support/fixtures');
const { expectNoHorizontalScroll } = require('../support/checks');

test('the regiegroep plans a meeting, a member says they come, and the report reads well', async ({ stip, page, browser }) => {
  await stip.login('regiegroep');
  await stip.visit('/bijeenkomsten');
  await stip.click(page.getByRole('link', { name: 'Nieuwe bijeenkomst' }));
  const title = `Netwerkbijeenkomst leermiddelen ${Date.now()}`;
  await page.getByLabel('Titel').fill(title);
  await page.getByLabel('Begint').fill('2027-03-05T13:30');
  await page.getByLabel('Eindigt').fill('2027-03-05T17:00');
  await page.getByLabel('Plaats').fill('Utrecht');
  await page.getByLabel('Thema', { exact: true }).selectOption('leermiddelen');
  // The case is picked by name. A name that fits no project: named, the rest kept.
  const casus = page.getByRole('combobox', { name: 'Casus (project)' });
  await casus.fill('Een project dat niemand heeft');
  await page.getByLabel('Onderwerp 1').fill('Welkom');
  await stip.click(page.getByRole('button', { name: 'Opslaan' }), { status: 422 });
  await expect(page.locator('#error-summary')).toContainText('Stip vindt geen project met deze naam of dit nummer dat je kunt zien.');
  await expect(page.getByLabel('Onderwerp 1')).toHaveValue('Welkom');
  // A part several titles share: those that fit are listed; one of them is taken by its name.
  await casus.fill('e');
  await stip.click(page.getByRole('button', { name: 'Opslaan' }), { status: 422 });
  await expect(page.locator('#error-summary')).toContainText('Meer dan één project past bij deze naam');
  const fitting = (await page.locator('.matches li').first().textContent()).trim();
  expect(fitting).toMatch(/ — /);
  await casus.fill(fitting);
  await page.getByLabel('Presentator').fill('Hanna Horizon');
  await page.getByLabel('Tijd 2').fill('14:00');
  await page.getByLabel('Onderwerp 2').fill('Casus uit de praktijk');
  await stip.click(page.getByRole('button', { name: 'Opslaan' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.locator('dl.facts')).toContainText('5 maart 2027, 13:30–17:00');
  await expect(page.getByRole('table', { name: 'Agenda' })).toContainText('Casus uit de praktijk');
  await expect(page.locator('dl.facts')).toContainText(fitting.split(' — ')[0]);
  const meeting = stip.path();

  const member = await stip.another(browser, 'horizon');
  await member.visit(meeting);
  await member.click(member.page.getByRole('button', { name: 'Ik kom', exact: true }));
  await expect(member.page.getByText('Je hebt laten weten dat je komt.')).toBeVisible();

  await stip.visit(meeting);
  await expect(page.getByRole('heading', { name: 'Komen: 1' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Aanwezigheid' })).toContainText('Horizon College');
  await stip.click(page.getByRole('link', { name: 'Bijeenkomst bewerken' }));
  await page.getByLabel('Verslag en conclusies').fill('## Conclusies\n\n- Een gezamenlijke catalogus');
  await page.getByRole('checkbox', { name: /Resultaten van Netwerkenquête/ }).check();
  await stip.click(page.getByRole('button', { name: 'Opslaan' }));
  await stip.click(page.getByRole('link', { name: 'Verslag', exact: true }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Verslag: ${title}`);
  await expect(page.locator('.markdown li')).toHaveText('Een gezamenlijke catalogus');
  await expect(page.getByRole('heading', { name: /^Bijlage 1: Resultaten van Netwerkenquête/ })).toBeVisible();
  await expect(page.locator('.appendix table.ranking')).toBeVisible();
  await page.setViewportSize({ width: 375, height: 800 });
  for (const path of ['/bijeenkomsten', meeting, `${meeting}/bewerken`, `${meeting}/verslag`]) {
    await stip.visit(path);
    await expectNoHorizontalScroll(page, path);
  }
});

test('a case is picked by name with the keyboard alone, also without JavaScript', async ({ stip, browser }) => {
  const planner = await stip.another(browser, 'regiegroep');
  const page = planner.page;
  // Without Stip's script: the suggestions are the page's own, the name is resolved by the server.
  await page.route('**/static/stip.js', (route) => route.abort());
  await planner.visit('/bijeenkomsten/nieuw');
  const casus = page.getByRole('combobox', { name: 'Casus (project)' });
  // The page brings the suggestions along (a small network): the first one's title.
  const suggested = await page.locator('#o-case_project option').first().getAttribute('value');
  const [title] = suggested.split(' — ');
  await page.getByLabel('Titel').fill(`Casus zonder script ${Date.now()}`);
  await page.getByLabel('Begint').fill('2027-04-01T13:30');
  await page.getByLabel('Eindigt').fill('2027-04-01T17:00');
  await casus.focus();
  await page.keyboard.type(title);
  await planner.click(page.getByRole('button', { name: 'Opslaan' }).first(), { label: 'saved by keyboard' });
  await expect(page.locator('dl.facts')).toContainText(title);
});
