// Playwright configuration for Stip's browser suite. The server is started by ./run, which passes
// its address in STIP_URL; Debian's chromium is used as installed (no browser download).
const { defineConfig } = require('@playwright/test');
const path = require('node:path');

const out = path.join(__dirname, '..', 'target', 'e2e');

module.exports = defineConfig({
  testDir: './tests',
  outputDir: path.join(out, 'results'),
  // Each test uses its own browser context and, where it writes, its own projects, so two
  // workers can share one server; a failure is reported once, never retried away.
  workers: Number(process.env.E2E_WORKERS || 2),
  fullyParallel: true,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [
    ['list'],
    ['html', { outputFolder: path.join(out, 'report'), open: 'never' }],
    ['./support/summary-reporter.js'],
  ],
  use: {
    baseURL: process.env.STIP_URL,
    browserName: 'chromium',
    locale: 'nl-NL',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
    screenshot: 'only-on-failure',
    // A trace of every action costs a third of the run; E2E_TRACE=1 keeps one for each failure.
    trace: process.env.E2E_TRACE ? 'retain-on-failure' : 'off',
  },
});
