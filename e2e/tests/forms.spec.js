// Every form tells which fields are required before anyone makes a mistake (WCAG 3.3.2): each
// field that an empty form is refused for ("Vul dit veld in.") said "Verplicht." in its
// description, and every message in the error summary leads to its field.
const { test, expect } = require('../support/fixtures');

const forms = [
  { who: 'horizon', url: '/projecten/nieuw' },
  { who: 'beheerder', url: '/projecten/nieuw' },
  { who: 'beheerder', url: '/beheer/gebruikers/nieuw' },
  { who: 'beheerder', url: '/beheer/instellingen/nieuw' },
  { who: 'beheerder', url: '/beheer/themas/nieuw' },
  { who: 'beheerder', url: '/beheer/hoofdlijnen/nieuw' },
  { who: 'beheerder', url: '/beheer/drijfveren/nieuw' },
  { who: 'beheerder', url: '/beheer/criteria/nieuw' },
];

for (const { who, url } of forms) {
  test(`${url} (${who}) says which fields are required`, async ({ stip, page }) => {
    await stip.login(who);
    await stip.visit(url);
    await stip.click(page.locator('main form').getByRole('button', { name: 'Opslaan' }), { status: 422 });
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
      if (message.endsWith('Vul dit veld in.')) await expect(field, `${message}: the field says it is required`).toHaveAccessibleDescription(/Verplicht\./);
      await link.click();
      await expect(field, `${message}: the link moves focus to the field`).toBeFocused();
    }
  });
}
