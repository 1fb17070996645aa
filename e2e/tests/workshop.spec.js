// The live workshop (werksessie, issue 15) as it runs in the room: the regiegroep sets it up, four
// people join by code without an account (one per perspective), a projector follows along, notes
// are written in groups and per theme, everyone sets their dots (one by keyboard only), and the
// ranking becomes the network's priorities. What others write or vote reaches every other screen
// live, without a reload. Every page is audited (axe) on every load and again after every phase
// change; a phone-sized participant never scrolls sideways.
const { test, expect } = require('../support/fixtures');
const { expectNoHorizontalScroll, tabTo } = require('../support/checks');

// A live update arrives within about a second; this leaves room for a busy debug build.
const LIVE = { timeout: 5_000 };

const THEMES = {
  llo: 'Leven lang ontwikkelen (LLO)',
  'digitaal-burgerschap': 'Digitaal burgerschap',
  leermiddelen: 'Leermiddelen',
  'eigen-dossier': 'Eigen dossier',
};

const PHASES = ['1. Groepswerk', "Tussenstap: portfolio's vergelijken", '2. Ordenen per thema', '3. Stippen zetten', '4. Resultaat'];

function dotsText(n) {
  return n === 1 ? '1 stip' : `${n} stippen`;
}

/**
 * Marks the document a screen shows now; `expectSameDocument` then proves that what changed on
 * it since came in live, not by loading the page again.
 */
async function markDocument(screen) {
  await screen.page.evaluate(() => {
    window.stipE2eSameDocument = true;
  });
}

/**
 * The projector shows everything of the phase without scrolling, at 1280×720 and 1920×1080:
 * the page does not scroll, nor does the board (its type is made to fit).
 */
async function expectFitsScreen(projector, what) {
  const page = projector.page;
  for (const size of [{ width: 1280, height: 720 }, { width: 1920, height: 1080 }]) {
    await page.setViewportSize(size);
    await expect.poll(() => page.evaluate(() => {
      const board = document.querySelector('[data-fit]');
      const doc = document.documentElement;
      return doc.scrollHeight <= innerHeight && doc.scrollWidth <= innerWidth && board.scrollHeight <= board.clientHeight + 1 && board.scrollWidth <= board.clientWidth + 1;
    }), `the projector fits ${size.width}×${size.height} without scrolling (${what})`).toBe(true);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

async function expectSameDocument(screen, what) {
  const same = await screen.page.evaluate(() => window.stipE2eSameDocument === true);
  expect(same, `${what}: updated live, without loading the page again`).toBe(true);
}

/**
 * Someone joins with the code from the projector, in their own browser (no account): through
 * /meedoen?code=… as the QR code opens it, choosing their group.
 */
async function joinByLink(stip, browser, code, name, group) {
  const person = await stip.another(browser);
  const page = person.page;
  await person.visit(`/meedoen?code=${code}`);
  await expect(page.getByLabel('Code', { exact: true })).toHaveValue(code);
  const groups = page.getByLabel('Groep', { exact: true });
  await expect(groups.locator('option')).toHaveText(['Zet me maar ergens bij', 'Strategisch', 'Operationeel', 'ICT', 'Business']);
  await page.getByLabel('Je naam').fill(name);
  await groups.selectOption({ label: group });
  await person.click(page.locator('main form').getByRole('button', { name: 'Meedoen', exact: true }));
  await expect(page.locator('.me')).toHaveText(`Je doet mee als ${name}, in groep ${group}.`);
  return person;
}

/** Writes a note with the form around the text area `#fieldId`; the form is sent in the background. */
async function addNote(person, fieldId, text) {
  const page = person.page;
  const field = page.locator(`#${fieldId}`);
  await field.fill(text);
  await page.locator('form').filter({ has: page.locator(`#${fieldId}`) }).getByRole('button', { name: 'Notitie toevoegen' }).click();
  await expect(page.locator('li.note', { hasText: text }), `${text} on the writer's own page`).toBeVisible(LIVE);
  await expect(page.locator(`#${fieldId}`), 'the note field is empty again').toHaveValue('');
  await expectSameDocument(person, 'the writer\'s page');
}

/**
 * The kind a note is shown with: its own label, or the heading of the kind it is listed under.
 * Polled, as the note may just have come in live.
 */
async function expectKind(note, kind, what) {
  await expect
    .poll(
      () =>
        note.evaluate((li) => {
          const own = li.querySelector('.kind-label');
          if (own) return own.textContent.trim();
          let heading = li.closest('ul') && li.closest('ul').previousElementSibling;
          while (heading && !/^H[1-6]$/.test(heading.tagName)) heading = heading.previousElementSibling;
          return heading ? heading.textContent.trim() : '';
        }),
      { message: `${what}: the note is shown as "${kind}"`, timeout: LIVE.timeout },
    )
    .toMatch(new RegExp(`(^|\\s)${kind}$`));
}

test('a live workshop: set up, join by code, notes, dots, ranking and priorities on every screen', async ({ stip, page, browser }) => {
  test.setTimeout(240_000);

  // ---- The facilitator sets it up ------------------------------------------------------------
  await stip.login('regiegroep');
  await stip.visit('/werksessies');
  await stip.click(page.getByRole('link', { name: 'Nieuwe werksessie' }));
  const title = `Werksessie prioriteiten ${Date.now()}-${test.info().workerIndex}`;
  await expect(page.getByLabel('Stippen per deelnemer')).toHaveValue('3');
  await expect(page.getByLabel('Hoogstens zoveel stippen per thema')).toHaveValue('');
  await expect(page.getByLabel('Groepen', { exact: true })).toHaveValue('Strategisch\nOperationeel\nICT\nBusiness');
  const themeChecks = page.getByRole('group', { name: "Thema's om op te stemmen" }).getByRole('checkbox');
  expect(await themeChecks.count(), 'the agenda themes to vote on').toBeGreaterThanOrEqual(Object.keys(THEMES).length);
  for (const check of await themeChecks.all()) await expect(check).toBeChecked();
  for (const name of Object.values(THEMES)) {
    await expect(page.getByRole('checkbox', { name, exact: true })).toBeChecked();
  }
  await expect(page.getByLabel('Notities zonder naam van de schrijver')).not.toBeChecked();
  await expect(page.getByLabel('Notities pas zichtbaar voor iedereen als ik ze onthul')).not.toBeChecked();
  await page.getByLabel('Titel', { exact: true }).fill(title);
  await page.getByLabel('Bijeenkomst', { exact: true }).selectOption('');
  await page.getByLabel('Vragen voor het groepswerk').fill('Wat gaat er goed?\nWat moet het netwerk samen oppakken?');
  await stip.click(page.getByRole('button', { name: 'Werksessie aanmaken' }));
  expect(stip.path()).toMatch(/^\/werksessies\/\d+$/);
  const workshop = stip.path();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  const facilitate = page.getByRole('region', { name: 'Begeleiden' });
  await expect(facilitate.getByRole('heading', { name: 'Begeleiden' })).toBeVisible();
  const phaseButtons = facilitate.getByRole('group', { name: 'Naar fase' }).getByRole('button');
  await expect(phaseButtons).toHaveText(PHASES);
  await expect(phaseButtons.nth(0)).toHaveAttribute('aria-pressed', 'true');
  for (const i of [1, 2, 3, 4]) await expect(phaseButtons.nth(i)).toHaveAttribute('aria-pressed', 'false');
  const code = (await facilitate.locator('strong.code').textContent()).trim();
  expect(code, 'the join code').toMatch(/^[A-Z0-9]{6}$/);
  await expect(facilitate).toContainText(`/meedoen?code=${code}`);
  await expect(facilitate.getByRole('img', { name: /^QR-code om mee te doen: .*\/meedoen\?code=/ })).toBeVisible();
  await expect(facilitate).toContainText('Deelnemers: 0');
  const projectorLink = facilitate.getByRole('link', { name: 'Projectorscherm openen' });
  await expect(projectorLink).toHaveAttribute('href', `${workshop}/scherm`);
  // The list shows it with its phase and code.
  await stip.visit('/werksessies');
  const listed = page.getByRole('row').filter({ has: page.getByRole('link', { name: title, exact: true }) });
  await expect(listed).toContainText('1. Groepswerk');
  await expect(listed).toContainText(code);
  await stip.click(page.getByRole('link', { name: title, exact: true }));
  await markDocument(stip);

  // ---- The projector, in a second tab of the facilitator -------------------------------------
  const projector = await stip.anotherTab();
  const screen = projector.page;
  await projector.visit(`${workshop}/scherm`);
  await expect(screen.getByRole('navigation'), 'the projector shows no site navigation').toHaveCount(0);
  await expect(screen.locator('header'), 'the projector shows no site header').toHaveCount(0);
  await expect(screen.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(screen.locator('#phase-now')).toHaveText('1. Groepswerk');
  await expect(screen.locator('strong.code')).toHaveText(code);
  await expect(screen.getByRole('img', { name: /^QR-code om mee te doen:/ })).toBeVisible();
  const bigType = await screen.locator('main').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  const pageType = await page.locator('main').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(bigType, 'the projector\'s type is larger than a page\'s').toBeGreaterThan(pageType);
  await markDocument(projector);

  // ---- Four people join, one per perspective -------------------------------------------------
  const anna = await joinByLink(stip, browser, code, 'Anna Strateeg', 'Strategisch');
  await expect(screen.locator('.screen-join'), 'the projector counts the first participant live').toContainText('Deelnemers: 1', LIVE);
  const bram = await joinByLink(stip, browser, code, 'Bram Operatie', 'Operationeel');
  const chris = await joinByLink(stip, browser, code, 'Chris ICT', 'ICT');
  // The fourth joins on a phone and types the code (lower case) on /meedoen; forgetting the name
  // is refused by field, after which the page knows the workshop and offers its groups.
  const dewi = await stip.another(browser);
  const phone = dewi.page;
  await phone.setViewportSize({ width: 375, height: 800 });
  await dewi.visit('/meedoen');
  await expect(phone.getByLabel('Groep', { exact: true })).toHaveCount(0);
  await phone.getByLabel('Code', { exact: true }).fill(code.toLowerCase());
  await dewi.click(phone.locator('main form').getByRole('button', { name: 'Meedoen', exact: true }), { status: 422 });
  await expect(phone.locator('#error-summary')).toBeVisible();
  await expect(phone.getByLabel('Je naam')).toHaveAttribute('aria-invalid', 'true');
  await expect(phone.getByLabel('Code', { exact: true })).toHaveValue(code);
  await expectNoHorizontalScroll(phone, '/meedoen at 375px');
  await phone.getByLabel('Je naam').fill('Dewi Business');
  await phone.getByLabel('Groep', { exact: true }).selectOption({ label: 'Business' });
  await dewi.click(phone.locator('main form').getByRole('button', { name: 'Meedoen', exact: true }));
  expect(dewi.path()).toBe(workshop);
  await expect(phone.locator('.me')).toHaveText('Je doet mee als Dewi Business, in groep Business.');
  await expectNoHorizontalScroll(phone, `${workshop} at 375px, phase 1`);
  const people = [anna, bram, chris, dewi];
  for (const person of people) await markDocument(person);

  // Everyone is counted per group on the facilitator's page and the projector, live.
  for (const [who, where] of [[stip, page.getByRole('region', { name: 'Begeleiden' })], [projector, screen.locator('.screen-join')]]) {
    await expect(where).toContainText('Deelnemers: 4', LIVE);
    await expect(where.locator('ul.groups li')).toHaveText(['Strategisch: 1', 'Operationeel: 1', 'ICT: 1', 'Business: 1'], LIVE);
    await expectSameDocument(who, who === stip ? 'the facilitator\'s page' : 'the projector');
  }
  await projector.audit('projector phase 1, four joined');
  await expectFitsScreen(projector, 'phase 1');

  // ---- Phase 1: group work -------------------------------------------------------------------
  await expect(anna.page.getByRole('heading', { name: '1. Wat gaat er goed?' })).toBeVisible();
  await expect(anna.page.getByRole('heading', { name: '2. Wat moet het netwerk samen oppakken?' })).toBeVisible();
  await expect(anna.page.getByLabel('Groep', { exact: true })).toHaveValue('0');
  await expect(anna.page.getByRole('button', { name: 'Wissel van groep' })).toBeVisible();
  // An empty note is refused at its own field, without leaving the page.
  await anna.page.locator('form').filter({ has: anna.page.locator('#f-text-0') }).getByRole('button', { name: 'Notitie toevoegen' }).click();
  await expect(anna.page.locator('#f-text-0')).toHaveAttribute('aria-invalid', 'true', LIVE);
  await expect(anna.page.locator('#e-text-0')).toBeVisible();
  await expect(anna.page.locator('#error-summary')).toBeFocused();
  await expectSameDocument(anna, 'an empty note refused');
  await anna.audit('phase 1, empty note refused');

  const annaNote = 'Bestuur ziet LLO als kans';
  await addNote(anna, 'f-text-0', annaNote);
  await expect(anna.page.locator('#f-text-0')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(anna.page.locator('li.note', { hasText: annaNote })).toContainText('Anna Strateeg');
  await expect(screen.locator('section.question li.note', { hasText: annaNote }), 'the projector shows a new note live').toBeVisible(LIVE);
  await expect(screen.locator('li.note', { hasText: annaNote })).toContainText('Strategisch');
  await expect(screen.locator('#live-status')).toContainText('Nieuwe notitie.');
  await expect(page.locator('li.note', { hasText: annaNote }), 'the facilitator sees every group\'s notes live').toBeVisible(LIVE);
  await expectSameDocument(projector, 'the projector');
  await expectSameDocument(stip, 'the facilitator\'s page');

  const bramNote = 'Roosters sluiten niet aan op flexibel onderwijs';
  await addNote(bram, 'f-text-1', bramNote);
  await expect(screen.locator('section.question').nth(1).locator('li.note', { hasText: bramNote })).toBeVisible(LIVE);
  // A group sees its own notes in phase 1, not another group's.
  await expect(bram.page.locator('li.note', { hasText: annaNote })).toHaveCount(0);
  await expect(anna.page.locator('li.note', { hasText: bramNote })).toHaveCount(0);
  const dewiNote = 'Klanten willen één dossier';
  await addNote(dewi, 'f-text-0', dewiNote);
  await expect(screen.locator('li.note', { hasText: dewiNote })).toBeVisible(LIVE);
  await expectNoHorizontalScroll(phone, `${workshop} at 375px, phase 1 with notes`);
  for (const person of people) await person.audit('phase 1 with notes');
  await projector.audit('projector phase 1 with notes');
  await expectFitsScreen(projector, 'phase 1 with notes');

  /** The facilitator moves to `label`; every screen follows live and is audited there. */
  async function toPhase(label) {
    await stip.click(page.getByRole('group', { name: 'Naar fase' }).getByRole('button', { name: label, exact: true }));
    await expect(page.getByRole('group', { name: 'Naar fase' }).getByRole('button', { name: label, exact: true })).toHaveAttribute('aria-pressed', 'true');
    await expect(page.locator('#phase-now')).toHaveText(label);
    await markDocument(stip);
    for (const [who, what] of [[projector, 'the projector'], ...people.map((p, i) => [p, `participant ${i + 1}`])]) {
      await expect(who.page.locator('#phase-now'), `${what} follows to ${label}`).toHaveText(label, LIVE);
      await expect(who.page.locator('#live-status'), `${what} announces the new phase`).toContainText(`Nieuwe fase: ${label}`);
      await expectSameDocument(who, what);
      await who.audit(`${what} ${label}`);
    }
    await expectNoHorizontalScroll(phone, `${workshop} at 375px, ${label}`);
  }

  // ---- Phase 2: ordering per theme -----------------------------------------------------------
  await toPhase('2. Ordenen per thema');
  await expect(anna.page.getByRole('group', { name: 'Soort notitie' })).toBeVisible();
  for (const kind of ['Conclusie', 'Waarom', 'Aanpak', 'Voorbeeld/casus']) {
    await expect(anna.page.getByRole('radio', { name: kind, exact: true })).toBeVisible();
  }
  await expect(screen.locator('section.theme-board h2')).toContainText(Object.values(THEMES));

  const orderNote = 'Samen inkopen via het netwerk';
  await anna.page.getByLabel('Thema', { exact: true }).selectOption({ label: THEMES.leermiddelen });
  await anna.page.getByRole('radio', { name: 'Aanpak', exact: true }).check();
  await addNote(anna, 'f-text', orderNote);
  const boardOf = (p, name) => p.locator('section.theme-board').filter({ has: p.getByRole('heading', { name, exact: true }) });
  for (const [who, what] of [[bram, 'another participant'], [projector, 'the projector']]) {
    const note = boardOf(who.page, THEMES.leermiddelen).locator('li.note', { hasText: orderNote });
    await expect(note, `${what} sees the note on its theme live`).toBeVisible(LIVE);
    await expectKind(note, 'Aanpak', what);
    await expectSameDocument(who, what);
  }
  await expectKind(boardOf(anna.page, THEMES.leermiddelen).locator('li.note', { hasText: orderNote }), 'Aanpak', 'the writer');

  const caseNote = 'Microcredentials bij Horizon College';
  await chris.page.getByLabel('Thema', { exact: true }).selectOption('llo');
  await chris.page.getByRole('radio', { name: 'Voorbeeld/casus', exact: true }).check();
  await addNote(chris, 'f-text', caseNote);
  for (const [who, what] of [[anna, 'another participant'], [dewi, 'a participant on a phone'], [projector, 'the projector']]) {
    const note = boardOf(who.page, THEMES.llo).locator('li.note', { hasText: caseNote });
    await expect(note, `${what} sees the note on its theme live`).toBeVisible(LIVE);
    await expectKind(note, 'Voorbeeld/casus', what);
    await expectSameDocument(who, what);
  }
  await expectNoHorizontalScroll(phone, `${workshop} at 375px, phase 2 with notes`);
  for (const person of people) await person.audit('phase 2 with notes');
  await projector.audit('projector phase 2 with notes');
  await expectFitsScreen(projector, 'phase 2');

  // ---- Phase 3: dots -------------------------------------------------------------------------
  await toPhase('3. Stippen zetten');
  const tally = Object.fromEntries(Object.keys(THEMES).map((t) => [t, 0]));
  const placeButton = (p, theme) => p.page.getByRole('button', { name: `Stip zetten op ${THEMES[theme]}`, exact: true });
  const backButton = (p, theme) => p.page.getByRole('button', { name: `Stip terugnemen van ${THEMES[theme]}`, exact: true });
  const projectorCount = (theme) => screen.locator('.vote-list li').filter({ has: screen.locator('.theme-name', { hasText: THEMES[theme] }) }).locator('.dot-count');

  // The running totals stay hidden while people vote (the first dots would steer the rest):
  // participants and the projector see only how many dots were placed; the facilitator sees all.
  const placed = () => Object.values(tally).reduce((a, b) => a + b, 0);
  const progress = screen.locator('.screen-progress');
  for (const person of people) {
    await expect(person.page.locator('#dots-left')).toContainText('Je hebt nog 3 van je 3 stippen.');
    await expect(person.page.locator('#stem-llo .dot-count'), 'no running total for a participant').toHaveCount(0);
    await expect(person.page.getByText('De tussenstand blijft verborgen tot de begeleider hem laat zien')).toBeVisible();
    await expect(backButton(person, 'llo')).toHaveCount(0);
  }
  await expect(projectorCount('llo'), 'no running total on the projector').toHaveCount(0);
  await expect(progress).toHaveText('0 stippen gezet · de tussenstand volgt na het stemmen');
  await expect(page.locator('#stem-llo .dot-count'), 'the facilitator sees the running totals').toHaveText('0 stippen');
  // The phase-2 notes are at hand while voting.
  const notesWhileVoting = chris.page.locator('#stem-leermiddelen details.theme-notes');
  await notesWhileVoting.locator('summary').click();
  await expect(notesWhileVoting.locator('li.note', { hasText: orderNote })).toBeVisible();

  /** Checks a participant's own page after their dot was placed or taken back. */
  async function expectOwnCount(person, theme, left) {
    await expect(person.page.locator('#dots-left')).toContainText(`Je hebt nog ${left} van je 3 stippen.`, LIVE);
    await expectSameDocument(person, 'the voter\'s page');
  }
  async function placeDot(person, theme, left) {
    await placeButton(person, theme).click();
    tally[theme] += 1;
    await expectOwnCount(person, theme, left);
  }

  // Anna votes by keyboard only: Tab to the button, Enter; the focus stays put, Space again.
  const annaLlo = placeButton(anna, 'llo');
  await tabTo(anna.page, annaLlo);
  await anna.page.keyboard.press('Enter');
  tally.llo += 1;
  await expectOwnCount(anna, 'llo', 2);
  await expect(anna.page.locator('#live-status')).toContainText('De stippen zijn bijgewerkt.');
  // Others see it without reloading: the projector counts the dots placed, the facilitator
  // the theme's total; another participant hears of it.
  await expect(progress, 'the projector counts the dot live').toHaveText(/^1 stip gezet/, LIVE);
  await expect(page.locator('#stem-llo .dot-count'), 'the facilitator sees the dot live').toHaveText('1 stip', LIVE);
  await expect(bram.page.locator('#live-status')).toContainText('De stippen zijn bijgewerkt.', LIVE);
  await expectSameDocument(projector, 'the projector');
  await expectSameDocument(bram, 'another participant');
  // A keyboard user keeps their place: the page swapped in live must give focus back to the
  // button they used. (Soft: when it does not, the test fails but goes on, tabbing there again.)
  await expect.soft(annaLlo, 'after a dot by keyboard, focus stays on its button').toBeFocused(LIVE);
  if (!(await annaLlo.evaluate((el) => el === document.activeElement))) await tabTo(anna.page, annaLlo);
  await anna.page.keyboard.press('Space');
  tally.llo += 1;
  await expectOwnCount(anna, 'llo', 1);
  await expect(anna.page.locator('#stem-llo .mine')).toHaveText('(jij: 2)');
  await expect(progress).toHaveText(/^2 stippen gezet/, LIVE);

  // The third dot; a fourth is impossible.
  await placeDot(anna, 'leermiddelen', 0);
  const annaPlaces = anna.page.getByRole('button', { name: /^Stip zetten op / });
  expect(await annaPlaces.count(), 'a place button per theme').toBeGreaterThanOrEqual(Object.keys(THEMES).length);
  for (const button of await annaPlaces.all()) await expect(button).toHaveAttribute('aria-disabled', 'true');
  await expect(anna.page.locator('#dots-left')).toContainText('Je hebt nog 0 van je 3 stippen.');
  // A fourth dot is refused with why, said politely (the button stays where it was).
  await placeButton(anna, 'eigen-dossier').focus();
  await anna.page.keyboard.press('Enter');
  await expect(anna.page.locator('#dot-refused')).toHaveText('Je stippen zijn op: neem er eerst een terug.', LIVE);
  await expect(anna.page.locator('#live-status')).toContainText('Je stippen zijn op: neem er eerst een terug.');
  await expectSameDocument(anna, 'a refused dot');
  await anna.audit('phase 3, no dots left');
  // Taking one back frees it again.
  await backButton(anna, 'leermiddelen').click();
  tally.leermiddelen -= 1;
  await expectOwnCount(anna, 'leermiddelen', 1);
  await expect(backButton(anna, 'leermiddelen')).toHaveCount(0);
  await expect(placeButton(anna, 'leermiddelen')).not.toHaveAttribute('aria-disabled', 'true');
  await expect(progress, 'the projector follows a dot taken back').toHaveText(/^2 stippen gezet/, LIVE);
  await placeDot(anna, 'digitaal-burgerschap', 0);

  await placeDot(bram, 'llo', 2);
  await placeDot(bram, 'digitaal-burgerschap', 1);
  await placeDot(bram, 'leermiddelen', 0);
  await placeDot(chris, 'llo', 2);
  await placeDot(chris, 'digitaal-burgerschap', 1);
  await placeDot(chris, 'leermiddelen', 0);
  await placeDot(dewi, 'llo', 2);
  await placeDot(dewi, 'digitaal-burgerschap', 1);
  await placeDot(dewi, 'eigen-dossier', 0);
  expect(tally).toEqual({ llo: 5, 'digitaal-burgerschap': 4, leermiddelen: 2, 'eigen-dossier': 1 });
  await expect(progress).toHaveText(new RegExp(`^${placed()} stippen gezet`), LIVE);
  // The facilitator shows the running totals: every screen counts per theme, live.
  await stip.click(page.getByRole('button', { name: 'Tussenstand aan iedereen tonen' }));
  await expect(page.getByRole('button', { name: 'Tussenstand weer verbergen' })).toBeVisible();
  for (const theme of Object.keys(THEMES)) {
    await expect(projectorCount(theme), `the projector's count for ${THEMES[theme]}`).toHaveText(dotsText(tally[theme]), LIVE);
    await expect(anna.page.locator(`#stem-${theme} .dot-count`), `another participant's count for ${THEMES[theme]}`).toHaveText(dotsText(tally[theme]), LIVE);
  }
  await expectSameDocument(projector, 'the projector');
  await expectSameDocument(anna, 'another participant');
  await expectNoHorizontalScroll(phone, `${workshop} at 375px, phase 3 with dots`);
  for (const person of people) await person.audit('phase 3 with dots');
  await projector.audit('projector phase 3 with dots');
  await expectFitsScreen(projector, 'phase 3');

  // ---- Phase 4: the result -------------------------------------------------------------------
  await toPhase('4. Resultaat');
  const expected = ['llo', 'digitaal-burgerschap', 'leermiddelen', 'eigen-dossier'].map((t) => `${THEMES[t]} ${dotsText(tally[t])}`);
  for (const [i, text] of expected.entries()) {
    await expect(screen.locator('.screen-result > li').nth(i), `the projector: place ${i + 1}`).toHaveText(text);
  }
  await expectFitsScreen(projector, 'phase 4');
  await expect(screen.locator('.screen-join'), 'the join panel goes with the result').toHaveCount(0);
  for (const [who, what] of [[stip, 'the facilitator'], [anna, 'a participant'], [dewi, 'a participant on a phone']]) {
    const ranked = who.page.locator('ol.ranking > li');
    for (const [i, text] of expected.entries()) {
      await expect(ranked.nth(i).locator('h3'), `${what}: place ${i + 1}`).toHaveText(text);
    }
    await expect(ranked.nth(4).locator('h3'), `${what}: the rest have no dots`).toContainText('0 stippen');
  }
  const leermiddelenResult = anna.page.locator('ol.ranking > li').nth(2);
  await expectKind(leermiddelenResult.locator('li.note', { hasText: orderNote }), 'Aanpak', 'the result');
  const downloads = anna.page.locator('p.downloads');
  await expect(downloads.getByRole('link', { name: 'Markdown' })).toHaveAttribute('href', `${workshop}/resultaat.md`);
  await expect(downloads.getByRole('link', { name: 'CSV' })).toHaveAttribute('href', `${workshop}/resultaat.csv`);
  await expect(downloads.getByRole('link', { name: 'Excel (XLSX)' })).toHaveAttribute('href', `${workshop}/resultaat.xlsx`);
  const md = await anna.page.request.get(`${workshop}/resultaat.md`);
  expect(md.status()).toBe(200);
  expect(await md.text()).toContain(
    `1. ${THEMES.llo} — 5 stippen\n2. ${THEMES['digitaal-burgerschap']} — 4 stippen\n3. ${THEMES.leermiddelen} — 2 stippen\n4. ${THEMES['eigen-dossier']} — 1 stip\n`,
  );
  const csv = await page.request.get(`${workshop}/resultaat.csv`);
  expect(csv.status()).toBe(200);
  const csvText = await csv.text();
  expect(csvText).toContain('Plaats');
  expect(csvText).toContain(orderNote);
  const xlsx = await page.request.get(`${workshop}/resultaat.xlsx`);
  expect(xlsx.status()).toBe(200);
  expect((await xlsx.body()).subarray(0, 2).toString(), 'an XLSX file is a zip').toBe('PK');

  // Participants cannot save priorities; the facilitator saves the top three.
  await expect(anna.page.getByRole('button', { name: 'Top drie vastleggen als prioriteiten van het netwerk' })).toHaveCount(0);
  await stip.click(page.getByRole('button', { name: 'Top drie vastleggen als prioriteiten van het netwerk' }));
  await expect(page.locator('#prioriteiten .notice')).toHaveText(/^De top drie is op .+ vastgelegd als prioriteiten van het netwerk\.$/);
  await expect(anna.page.locator('#prioriteiten .notice'), 'a participant sees the priorities saved live').toHaveText(/vastgelegd als prioriteiten van het netwerk\./, LIVE);
  await expect(anna.page.locator('#live-status')).toContainText('De prioriteiten zijn vastgelegd.');
  await expectSameDocument(anna, 'a participant');
  await anna.audit('phase 4, priorities saved');
  await expectNoHorizontalScroll(phone, `${workshop} at 375px, phase 4`);
});
