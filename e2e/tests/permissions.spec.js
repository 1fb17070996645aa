// The permission rules of the portfolio as a person meets them in the browser: which projects
// one sees, which offer an edit button, and what a page one may not use answers.
const { test, expect, Stip } = require('../support/fixtures');
const { uniqueTitle, createProject } = require('../support/projects');

test.describe('projects of Horizon College seen by others', () => {
  // One worker runs these in order, sharing the projects made once in beforeAll.
  test.describe.configure({ mode: 'default' });
  // One project per visibility, made by Horizon's information manager through the form.
  const made = {};

  test.beforeAll(async ({ browser }, testInfo) => {
    const context = await browser.newContext({ baseURL: process.env.STIP_URL, locale: 'nl-NL' });
    const stip = new Stip(await context.newPage(), testInfo, 'setup-');
    await stip.login('horizon');
    for (const visibility of ['Instelling', 'Netwerk', 'Openbaar']) {
      const title = uniqueTitle(`zichtbaarheid ${visibility.toLowerCase()}`);
      made[visibility] = { title, id: await createProject(stip, { title, visibility }) };
    }
    await stip.finish();
    await context.close();
  });

  test("Horizon's information manager may edit all three", async ({ stip, page }) => {
    await stip.login('horizon');
    for (const { id, title } of Object.values(made)) {
      await stip.visit(`/projecten/${id}`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
      await stip.click(page.getByRole('link', { name: 'Bewerken' }));
      await expect(page.getByLabel('Titel', { exact: true })).toHaveValue(title);
    }
  });

  test("DaVinci's information manager reads the network project without an edit button, and not the institution one", async ({ stip, page }) => {
    await stip.login('davinci');
    const network = made.Netwerk;
    await stip.visit(`/projecten/${network.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(network.title);
    await expect(page.getByRole('link', { name: 'Bewerken' })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Project verwijderen' })).toHaveCount(0);
    await stip.visit(`/projecten/${network.id}/verwijderen`, { status: 403 });
    await stip.visit(`/projecten/${network.id}/bewerken`, { status: 403 });
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Geen toegang');

    await stip.visit(`/projecten/${made.Instelling.id}`, { status: 404 });
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Niet gevonden');
    await stip.visit(`/projecten/${made.Instelling.id}/bewerken`, { status: 404 });

    // In the list, filtered to Horizon: the network and public projects, not the institution one.
    await stip.visit(`/projecten?institution=25LN&q=${encodeURIComponent('E2E zichtbaarheid')}&sort=title`);
    const titles = page.getByRole('table', { name: 'Projecten' }).locator('tbody tr td:first-child a');
    await expect(titles.filter({ hasText: made.Netwerk.title })).toHaveCount(1);
    await expect(titles.filter({ hasText: made.Openbaar.title })).toHaveCount(1);
    await expect(titles.filter({ hasText: made.Instelling.title })).toHaveCount(0);
  });

  test('a reader reads network projects but gets no edit or new-project button', async ({ stip, page }) => {
    await stip.login('lezer');
    await stip.visit(`/projecten/${made.Netwerk.id}`);
    await expect(page.getByRole('link', { name: 'Bewerken' })).toHaveCount(0);
    await stip.visit(`/projecten/${made.Netwerk.id}/bewerken`, { status: 403 });
    await stip.visit(`/projecten/${made.Instelling.id}`, { status: 404 });
    await stip.visit('/projecten');
    await expect(page.getByRole('link', { name: 'Nieuw project' })).toHaveCount(0);
  });

  test('an anonymous visitor sees only public projects, and the rest answers like a missing page with a way to log in', async ({ stip, page }) => {
    await stip.visit('/');
    await expect(page.getByText('Je ziet nu alleen openbare projecten.')).toBeVisible();
    await stip.visit(`/projecten/${made.Openbaar.id}`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(made.Openbaar.title);
    await expect(page.getByRole('link', { name: 'Bewerken' })).toHaveCount(0);

    // What a visitor may not see answers exactly like what does not exist, with a way to log in.
    for (const id of [made.Netwerk.id, made.Instelling.id, 999999]) {
      await stip.visit(`/projecten/${id}`, { status: 404 });
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Niet gevonden');
      await expect(page.getByRole('link', { name: 'Log in om meer te zien' })).toHaveAttribute('href', `/inloggen?terug=%2Fprojecten%2F${id}`);
    }

    // Every row of the list is marked public.
    await stip.visit('/projecten?institution=25LN');
    const rows = page.getByRole('table', { name: 'Projecten' }).locator('tbody tr');
    expect(await rows.count()).toBeGreaterThan(0);
    for (const tag of await rows.locator('td:first-child .tag').allTextContents()) expect(tag).toBe('Openbaar, ook zonder inloggen');
    expect(await rows.locator('td:first-child .tag').count()).toBe(await rows.count());
    await expect(rows.filter({ hasText: made.Openbaar.title })).toHaveCount(1);
    await expect(rows.filter({ hasText: made.Netwerk.title })).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Nieuw project' })).toHaveCount(0);
  });
});

test('management pages: the beheerder may use all, the regiegroep only the agenda', async ({ stip, page }) => {
  const pages = ['/beheer/instellingen', '/beheer/agenda', '/beheer/drijfveren', '/beheer/mora', '/beheer/criteria', '/beheer/gebruikers', '/beheer/gebruikers/nieuw'];
  await stip.login('regiegroep');
  for (const url of pages) await stip.visit(url, { status: url === '/beheer/agenda' ? 200 : 403 });
  await stip.logout();
  await stip.login('beheerder');
  for (const url of pages) await stip.visit(url);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Nieuwe gebruiker');
});

test('an information manager may not edit a project of another institution by its address', async ({ stip, page }) => {
  await stip.login('horizon');
  const id = await createProject(stip, { title: uniqueTitle('alleen horizon') });
  await stip.logout();
  await stip.login('davinci');
  await stip.visit(`/projecten/${id}`);
  await expect(page.getByRole('link', { name: 'Bewerken' })).toHaveCount(0);
  await stip.visit(`/projecten/${id}/bewerken`, { status: 403 });
});
