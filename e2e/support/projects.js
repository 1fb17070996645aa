// Creating projects through the form, as a user does; each test makes its own so that tests
// never depend on each other's data.
const { expect } = require('@playwright/test');

let counter = 0;

/** A title no other test (or earlier run on the same database) uses. */
function uniqueTitle(what) {
  counter += 1;
  return `E2E ${what} ${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/**
 * Fills the new-project form (already open) with a title, a primary theme and a visibility,
 * saves, and returns the new project's id from the page it lands on.
 */
async function fillAndCreate(stip, { title, visibility = 'Netwerk', theme = 'Leermiddelen' }) {
  const page = stip.page;
  await page.getByLabel('Titel', { exact: true }).fill(title);
  await page.getByLabel('Hoofdthema').selectOption({ label: theme });
  await page.getByRole('radio', { name: visibility, exact: true }).check();
  await stip.click(page.getByRole('button', { name: 'Opslaan' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(title);
  await expect(page.getByRole('status')).toHaveText('Het project is opgeslagen.');
  const id = Number(new URL(page.url()).pathname.match(/^\/projecten\/(\d+)$/)[1]);
  expect(id).toBeGreaterThan(0);
  return id;
}

/** Opens the new-project form from the portfolio list and creates a project; returns its id. */
async function createProject(stip, options) {
  const page = stip.page;
  await stip.visit('/projecten');
  await stip.click(page.getByRole('link', { name: 'Nieuw project' }));
  return fillAndCreate(stip, options);
}

module.exports = { uniqueTitle, createProject, fillAndCreate };
