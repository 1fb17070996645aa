// Every form tells which fields may stay empty before anyone makes a mistake (WCAG 3.3.2): a field
// an empty form is refused for never says "(optioneel)" in its label, and every message in the
// error summary says what to do and leads to its field, with the label and message in view.
const { test, expect } = require('../support/fixtures');

const forms = [
  { who: 'horizon', url: '/projecten/nieuw' },
  { who: 'beheerder', url: '/projecten/nieuw' },
  { who: 'beheerder', url: '/beheer/gebruikers/nieuw' },
  { who: 'beheerder', url: '/beheer/instellingen/nieuw' },
  { who: 'beheerder', url: '/beheer/themas/nieuw' },
  { who: 'beheerder', url: '/beheer/hoofdlijnen/nieuw' },
  { who: 'beheerder', url: '/beheer/drijfveren/nieuw' },
  { who: 'beheerder', url: '/beheer/mora/nieuw' },
  { who: 'beheerder', url: '/beheer/criteria/nieuw' },
];

for (const { who, url } of forms) {
  test(`${url} (${who}) says which fields are optional`, async ({ stip, page }) => {
    await stip.login(who);
    await stip.visit(url);
    await stip.click(page.locator('main form').getByRole('button', { name: 'Opslaan' }), { status: 422 });
    await expect(page).toHaveTitle(/^Fout: /);
    const summary = page.locator('#error-summary');
    await expect(summary).toBeFocused();
    const links = summary.getByRole('link');
    const count = await links.count();
    expect(count).toBeGreaterThan(0);
    for (let i = 0; i < count; i += 1) {
      const link = links.nth(i);
      const [message, href] = [(await link.textContent()).trim(), await link.getAttribute('href')];
      const field = page.locator(href);
      await expect(field, `${message} leads to a field`).toHaveCount(1);
      await expect(field).toHaveAttribute('aria-invalid', 'true');
      const id = href.slice(1);
      const label = page.locator(`label[for="${id}"], fieldset:has(#${id}) > legend`).first();
      await expect(label, `${message}: a refused field is not optional`).not.toContainText('(optioneel)');
      await link.click();
      await expect(field, `${message}: the link moves focus to the field`).toBeFocused();
      await expect(page.locator(`#e-${id.replace(/^f-/, "")}`), `${message}: the message is in view`).toBeInViewport();
    }
  });
}
