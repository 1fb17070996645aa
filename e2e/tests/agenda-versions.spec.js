// Versions of the agenda (issue 16) as the network meets them: a reader finds the list from the
// theme page; the beheerder starts a new version (an empty name is refused), adds a theme to the
// concept (a wrong colour is named first), lets Innovatie's projects go to Innovatie and the new
// theme both, and activates it after confirming; the old version stays readable with its
// projects of then. A project whose primary theme was split is flagged on the version's page and
// on its own page, until its informatiemanager says its themes are right. Every page is audited
// on visit (axe), error states too.
//
// Activating changes every project and the live agenda that the other specs share, so the steps
// run in order, in one worker, and the activation keeps every theme code of the demo: it only
// adds a theme.
const { test, expect } = require('../support/fixtures');
const { expectNoHorizontalScroll } = require('../support/checks');
const { uniqueTitle, createProject } = require('../support/projects');

const ACTIVE = 'Strategische agenda digitalisering mbo';
const THEME = { code: 'open-leermateriaal', name: 'Open leermateriaal', colour: '#5a3e8a', position: '85', description: 'Open en gedeelde leermaterialen, samen ontwikkeld en onderhouden.' };
const SPLIT = "het hoofdthema is over meer nieuwe thema's verdeeld; het eerste is nu hoofdthema.";
/** Why a project is on the version's list: its primary theme went to more than one theme. */
const SPLIT_WHY = /hoofdthema.* verdeeld/i;

/** The row of a version in the list, by its name. */
function versionRow(page, name) {
  return page.getByRole('table', { name: 'Versies van de agenda' }).getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
}

test.describe.serial('versions of the agenda', () => {
  // What the steps hand on to each other.
  const made = { name: '', id: 0, project: { id: 0, title: '' } };

  test('a reader finds the versions from the themes, without the form to start one', async ({ stip, page }) => {
    await stip.login('lezer');
    await stip.visit('/themas');
    await stip.click(page.locator('main').getByRole('link', { name: 'Versies van de agenda' }));
    expect(stip.path()).toBe('/agenda/versies');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Versies van de agenda');
    const table = page.getByRole('table', { name: 'Versies van de agenda' });
    await expect(table.getByRole('columnheader')).toHaveText(['Naam', 'Stand', "Thema's", 'Actief sinds', 'Opgevolgd op']);
    const active = versionRow(page, ACTIVE);
    await expect(active.getByRole('cell').nth(0)).toHaveText('Actief');
    await expect(active.getByRole('cell').nth(1)).toHaveText('8');
    await expect(active.getByRole('cell').nth(2)).not.toBeEmpty();
    await expect(active.getByRole('cell').nth(3)).toBeEmpty();
    await expect(page.getByRole('heading', { name: 'Nieuwe versie' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Versie maken' })).toHaveCount(0);

    // The active version lists its themes, each leading to its page; nothing to edit.
    await stip.click(active.getByRole('link', { name: ACTIVE }));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(ACTIVE);
    await expect(page.locator('main .tag').first()).toHaveText('Actief');
    await expect(page.getByRole('table', { name: "Thema's" }).getByRole('link', { name: 'Innovatie', exact: true })).toHaveAttribute('href', '/themas/innovatie');
    await expect(page.getByRole('heading', { name: 'Concept bewerken' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Deze versie activeren' })).toHaveCount(0);
  });

  test('the beheerder makes a version with a new theme and activates it, moving Innovatie along', async ({ stip, page, browser }) => {
    test.setTimeout(120_000);
    // Horizon has a project on Innovatie: its primary theme will be split.
    const im = await stip.another(browser, 'horizon');
    made.project.title = uniqueTitle('agendaversie');
    made.project.id = await createProject(im, { title: made.project.title, theme: 'Innovatie' });
    await expect(im.page.locator('#agenda-review')).toHaveCount(0);

    await stip.login('beheerder');
    await stip.visit('/beheer/agenda');
    await stip.click(page.locator('main').getByRole('link', { name: 'Versies van de agenda' }));
    expect(stip.path()).toBe('/agenda/versies');
    const form = page.getByRole('region', { name: 'Nieuwe versie' });
    await expect(form).toContainText('De nieuwe versie krijgt de hoofdlijnen en thema\'s van de actieve versie');

    // Without a name: refused, named, and the link leads to the field.
    await stip.click(form.getByRole('button', { name: 'Versie maken' }), { status: 422, label: 'new version without a name' });
    await expect(page).toHaveTitle(/^Fout: /);
    const summary = page.locator('#error-summary');
    await expect(summary).toBeFocused();
    await expect(summary).toHaveRole('alert');
    await expect(summary.getByRole('link')).toHaveText(['Vul een naam in.']);
    const name = form.getByLabel('Naam', { exact: true });
    await expect(name).toHaveAttribute('aria-invalid', 'true');
    await expect(name).toHaveAccessibleDescription(/Vul een naam in\./);
    await summary.getByRole('link').click();
    await expect(name).toBeFocused();
    await expect(versionRow(page, ACTIVE).getByRole('cell').first()).toHaveText('Actief');

    made.name = `Strategische agenda 2027–2030 (${process.pid}-${Date.now().toString(36)})`;
    await name.fill(made.name);
    await stip.click(form.getByRole('button', { name: 'Versie maken' }));
    expect(stip.path()).toMatch(/^\/agenda\/versies\/\d+$/);
    made.id = Number(stip.path().split('/').pop());
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(made.name);
    await expect(page.locator('main .tag').first()).toHaveText('Concept');
    await expect(page.locator('main')).toContainText('Dit is een concept: projecten gebruiken nog de actieve versie.');

    // ---- The concept: a copy of the active agenda, with room for more ----------------------
    const edit = page.getByRole('region', { name: 'Concept bewerken' });
    await expect(edit.getByLabel('Naam', { exact: true }).first()).toHaveValue(made.name);
    const line = edit.getByRole('group', { name: 'Hoofdlijn 1', exact: true });
    for (const label of ['Code', 'Naam', 'Volgorde']) await expect(line.getByLabel(label, { exact: true })).not.toHaveValue('');
    const themes = edit.getByRole('group', { name: /^Thema \d+$/ });
    await expect(themes).toHaveCount(11);
    const innovatie = edit.getByRole('group', { name: 'Thema 8', exact: true });
    await expect(innovatie.getByLabel('Code', { exact: true })).toHaveValue('innovatie');
    await expect(innovatie.getByLabel('Naam', { exact: true })).toHaveValue('Innovatie');
    const leermiddelen = edit.getByRole('group', { name: 'Thema 3', exact: true });
    await expect(leermiddelen.getByLabel('Code', { exact: true })).toHaveValue('leermiddelen');
    const mainLine = await leermiddelen.getByLabel('Hoofdlijn', { exact: true }).inputValue();
    expect(mainLine, 'Leermiddelen has a main line').not.toBe('');

    // A new theme in the first empty row; a colour in words is refused and named.
    const added = edit.getByRole('group', { name: 'Thema 9', exact: true });
    for (const label of ['Code', 'Naam', 'Hoofdlijn', 'Kleur', 'Volgorde', 'Beschrijving']) {
      await expect(added.getByLabel(label, { exact: true }), `an empty row's ${label}`).toHaveValue('');
    }
    await added.getByLabel('Code', { exact: true }).fill(THEME.code);
    await added.getByLabel('Naam', { exact: true }).fill(THEME.name);
    await added.getByLabel('Hoofdlijn', { exact: true }).fill(mainLine);
    await added.getByLabel('Kleur', { exact: true }).fill('paars');
    await added.getByLabel('Volgorde', { exact: true }).fill(THEME.position);
    await added.getByLabel('Beschrijving', { exact: true }).fill(THEME.description);
    await stip.click(edit.getByRole('button', { name: 'Opslaan' }), { status: 422, label: 'concept with a wrong colour' });
    await expect(page).toHaveTitle(/^Fout: /);
    const wrong = page.locator('#error-summary');
    await expect(wrong).toBeFocused();
    // (The summary's label for the field reads as a path, "… [8].colour"; only the message is
    // asserted here.)
    await expect(wrong.getByRole('link')).toHaveCount(1);
    await expect(wrong.getByRole('link')).toContainText('Vul een kleur in als #rrggbb, bijvoorbeeld #1d6fa5.');
    const colour = page.getByRole('group', { name: 'Thema 9', exact: true }).getByLabel('Kleur', { exact: true });
    await expect(colour).toHaveAttribute('aria-invalid', 'true');
    await expect(colour).toHaveValue('paars');
    await expect(page.getByRole('group', { name: 'Thema 9', exact: true }).getByLabel('Code', { exact: true })).toHaveValue(THEME.code);
    await wrong.getByRole('link').click();
    await expect(colour).toBeFocused();
    await colour.fill(THEME.colour);
    await stip.click(page.getByRole('region', { name: 'Concept bewerken' }).getByRole('button', { name: 'Opslaan' }));
    expect(stip.path()).toBe(`/agenda/versies/${made.id}`);
    const conceptThemes = page.getByRole('table', { name: "Thema's" });
    await expect(conceptThemes.getByRole('row', { name: new RegExp(`^${THEME.name} .* ${THEME.code}$`) })).toBeVisible();
    // A concept's themes do not lead to theme pages yet.
    await expect(conceptThemes.getByRole('link')).toHaveCount(0);
    await expect(page.getByRole('group', { name: 'Thema 9', exact: true }).getByLabel('Kleur', { exact: true })).toHaveValue(THEME.colour);

    // ---- Activating: per active theme where its projects go ---------------------------------
    const activate = page.getByRole('region', { name: 'Activeren' });
    const maps = activate.getByRole('group', { name: /^Projecten met .+ gaan naar$/ });
    await expect(maps).toHaveCount(8);
    // Each active theme goes to itself by default, and only there.
    const toLeermiddelen = activate.getByRole('group', { name: 'Projecten met Leermiddelen gaan naar' });
    await expect(toLeermiddelen.getByRole('checkbox')).toHaveCount(9);
    await expect(toLeermiddelen.getByRole('checkbox', { name: 'Leermiddelen', exact: true })).toBeChecked();
    await expect(toLeermiddelen.getByRole('checkbox', { name: THEME.name, exact: true })).not.toBeChecked();
    const toInnovatie = activate.getByRole('group', { name: 'Projecten met Innovatie gaan naar' });
    const keep = toInnovatie.getByRole('checkbox', { name: 'Innovatie', exact: true });
    const also = toInnovatie.getByRole('checkbox', { name: THEME.name, exact: true });
    await expect(keep).toBeChecked();
    await expect(also).not.toBeChecked();
    for (const box of await maps.getByRole('checkbox', { checked: true }).all()) {
      const [theme, target] = await box.evaluate((el) => [el.name.replace(/^map\./, ''), el.value]);
      expect(target, 'ticked by default: the same code').toBe(theme);
    }
    // Innovatie's projects go to Innovatie and the new theme; by keyboard.
    await also.focus();
    await page.keyboard.press('Space');
    await expect(also).toBeChecked();
    await expect(keep).toBeChecked();

    // The button asks first; the test says yes each time.
    const asked = [];
    page.on('dialog', async (dialog) => {
      asked.push(`${dialog.type()}: ${dialog.message()}`);
      await dialog.accept();
    });
    const confirm = 'confirm: Alle projecten gaan naar deze versie van de agenda. Doorgaan?';

    // Eigen dossier going nowhere would leave projects without a theme: refused, all or nothing.
    const toEigenDossier = activate.getByRole('group', { name: 'Projecten met Eigen dossier gaan naar' }).getByRole('checkbox', { name: 'Eigen dossier', exact: true });
    await toEigenDossier.uncheck();
    await stip.click(activate.getByRole('button', { name: 'Deze versie activeren' }), { status: 422, label: 'activation leaving projects without a theme' });
    expect(asked).toEqual([confirm]);
    const orphans = page.locator('#error-summary');
    await expect(orphans).toBeFocused();
    await expect(orphans.getByRole('link')).toHaveCount(1);
    await expect(orphans.getByRole('link')).toContainText(/Zo houden \d+ projecten? geen enkel thema over: wijs dit thema aan minstens één nieuw thema toe\./);
    const again = page.getByRole('region', { name: 'Activeren' });
    const refused = again.getByRole('group', { name: 'Projecten met Eigen dossier gaan naar' });
    await expect(refused).toContainText('geen enkel thema over');
    await expect(page.locator('main .tag').first()).toHaveText('Concept');
    // What was ticked stays ticked.
    await expect(again.getByRole('group', { name: 'Projecten met Innovatie gaan naar' }).getByRole('checkbox', { name: THEME.name, exact: true })).toBeChecked();
    await expect(again.getByRole('group', { name: 'Projecten met Innovatie gaan naar' }).getByRole('checkbox', { name: 'Innovatie', exact: true })).toBeChecked();
    await orphans.getByRole('link').click();
    await expect(refused).toBeFocused();
    const back = refused.getByRole('checkbox', { name: 'Eigen dossier', exact: true });
    await back.focus();
    await page.keyboard.press('Space');
    await expect(back).toBeChecked();

    await stip.click(again.getByRole('button', { name: 'Deze versie activeren' }));
    expect(asked).toEqual([confirm, confirm]);
    expect(stip.path()).toBe(`/agenda/versies/${made.id}`);
    await expect(page.locator('main .tag').first()).toHaveText('Actief');
    await expect(page.locator('main')).toContainText(/Actief sinds: \d{1,2} \w+ \d{4}, \d{2}:\d{2}/);
    await expect(page.getByRole('region', { name: 'Concept bewerken' })).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Activeren' })).toHaveCount(0);
    await expect(page.getByRole('table', { name: "Thema's" }).getByRole('link', { name: THEME.name, exact: true })).toHaveAttribute('href', `/themas/${THEME.code}`);
    // Every project whose primary theme was Innovatie is listed to look at; ours among them.
    const reviews = page.getByRole('region', { name: 'Projecten om na te kijken' });
    await expect(reviews).toContainText('Bij deze projecten kon het hoofdthema niet zomaar mee naar de nieuwe agenda.');
    // Each flagged project (a row or an item) names its institution, why, and its themes before.
    const flagged = reviews.locator('li, tbody tr');
    const ours = flagged.filter({ has: page.getByRole('link', { name: made.project.title, exact: true }) });
    await expect(ours).toHaveCount(1);
    await expect(ours.getByRole('link')).toHaveAttribute('href', `/projecten/${made.project.id}`);
    await expect(ours).toContainText('Horizon College');
    await expect(ours).toContainText(SPLIT_WHY);
    await expect(ours).toContainText(/innovatie/i);
    for (const item of await flagged.all()) {
      await expect(item).toContainText(SPLIT_WHY);
      await expect(item).toContainText(/innovatie/i);
    }

    // ---- The list: the new version active, the old one previous -----------------------------
    await stip.click(page.locator('main .crumbs').getByRole('link', { name: 'Versies van de agenda' }));
    const now = versionRow(page, made.name);
    await expect(now.getByRole('cell')).toHaveText(['Actief', '9', /\d{4}/, '']);
    const before = versionRow(page, ACTIVE);
    await expect(before.getByRole('cell').nth(0)).toHaveText('Vorige versie');
    await expect(before.getByRole('cell').nth(1)).toHaveText('8');
    await expect(before.getByRole('cell').nth(3)).toHaveText(/\d{4}/);
    await expect(page.locator('main .tag', { hasText: /^Actief$/ })).toHaveCount(1);
  });

  test("the informatiemanager finds the flagged project and says its themes are right", async ({ stip, page, browser }) => {
    expect(made.project.id, 'the project flagged in the step before').toBeGreaterThan(0);
    await stip.login('horizon');
    await stip.visit('/agenda/versies');
    await expect(versionRow(page, made.name).getByRole('cell').first()).toHaveText('Actief');
    // The informatiemanager has no form to start a version.
    await expect(page.getByRole('button', { name: 'Versie maken' })).toHaveCount(0);
    await stip.click(versionRow(page, made.name).getByRole('link', { name: made.name }));
    const reviews = page.getByRole('region', { name: 'Projecten om na te kijken' });
    await stip.click(reviews.getByRole('link', { name: made.project.title, exact: true }));
    expect(stip.path()).toBe(`/projecten/${made.project.id}`);

    // The project now has both themes, Innovatie still primary, and says why to look.
    await expect(page.locator('main ul.themes > li')).toHaveText([/^Innovatie\s+hoofdthema$/, THEME.name]);
    const notice = page.locator('#agenda-review');
    await expect(notice).toContainText(`De agenda is vernieuwd: ${SPLIT}`);
    await expect(notice).toContainText(/Eerder had dit project: innovatie\. Kloppen de thema's zo\?/i);
    await expect(notice.getByRole('link', { name: "Thema's aanpassen" })).toHaveAttribute('href', `/projecten/${made.project.id}/bewerken`);
    // The history names both agendas.
    const history = page.getByRole('region', { name: 'Wijzigingsgeschiedenis' });
    await expect(history).toContainText(ACTIVE);
    await expect(history).toContainText(made.name);

    // Someone who may not edit it sees no notice.
    const other = await stip.another(browser, 'davinci');
    await other.visit(`/projecten/${made.project.id}`);
    await expect(other.page.locator('main ul.themes > li')).toHaveCount(2);
    await expect(other.page.locator('#agenda-review')).toHaveCount(0);
    await expect(other.page.getByRole('button', { name: "Thema's kloppen" })).toHaveCount(0);

    await stip.click(notice.getByRole('button', { name: "Thema's kloppen" }));
    expect(stip.path()).toBe(`/projecten/${made.project.id}`);
    await expect(page.locator('#agenda-review')).toHaveCount(0);
    await expect(page.getByRole('button', { name: "Thema's kloppen" })).toHaveCount(0);
    await expect(page.locator('main ul.themes > li')).toHaveCount(2);
    // And it is off the version's list.
    await stip.visit(`/agenda/versies/${made.id}`);
    await expect(page.getByRole('link', { name: made.project.title, exact: true })).toHaveCount(0);
  });

  test('the previous version stays readable, with its projects then and their themes now', async ({ stip, page }) => {
    expect(made.id, 'the version activated in the step before').toBeGreaterThan(0);
    await stip.login('beheerder');
    await stip.visit('/agenda/versies');
    const before = versionRow(page, ACTIVE);
    await stip.click(before.getByRole('link', { name: ACTIVE }));
    await expect(page.locator('main .tag').first()).toHaveText('Vorige versie');
    await expect(page.locator('main')).toContainText('Deze versie is opgevolgd.');
    await expect(page.locator('main')).toContainText(/Opgevolgd op: \d{1,2} \w+ \d{4}, \d{2}:\d{2}/);
    const then = page.getByRole('table', { name: "Thema's" });
    await expect(then.getByRole('columnheader')).toHaveText(['Naam', 'Hoofdlijn', 'Code', 'Projecten toen']);
    await expect(then.getByRole('row')).toHaveCount(9);
    await expect(then.getByRole('rowheader', { name: THEME.name })).toHaveCount(0);
    const innovatieThen = then.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Innovatie', exact: true }) });
    const count = Number((await innovatieThen.getByRole('cell').last().textContent()).trim());
    expect(count, 'projects on Innovatie then, ours among them').toBeGreaterThanOrEqual(1);
    await expect(page.getByRole('region', { name: 'Concept bewerken' })).toHaveCount(0);
    // The network then, per institution and theme: Horizon had at least ours on Innovatie.
    const overview = page.getByRole('table', { name: 'Projecten per instelling (rijen) en thema (kolommen) toen' });
    const headers = (await overview.getByRole('columnheader').allTextContents()).map((t) => t.trim());
    expect(headers).not.toContain(THEME.name);
    const column = headers.indexOf('Innovatie');
    expect(column, 'a column for Innovatie').toBeGreaterThan(0);
    const horizon = overview.getByRole('row').filter({ has: page.getByRole('rowheader', { name: 'Horizon', exact: true }) });
    expect(Number((await horizon.locator('th, td').nth(column).textContent()).trim())).toBeGreaterThanOrEqual(1);
    // The number leads to those projects, with their themes now.
    await stip.click(innovatieThen.getByRole('link', { name: String(count), exact: true }));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Innovatie');
    const projectsThen = page.locator('main table tbody tr');
    await expect(projectsThen).toHaveCount(count);
    const ourThen = projectsThen.filter({ has: page.getByRole('link', { name: made.project.title, exact: true }) });
    await expect(ourThen.locator('td').first()).toContainText('Horizon');
    await expect(ourThen.locator('td').last()).toContainText(`Innovatie, ${THEME.name}`);
    await page.setViewportSize({ width: 375, height: 800 });
    await expectNoHorizontalScroll(page, 'projects of a theme then, at 375px');
  });
});
