// Checks a person would make with keyboard and zoom: where focus is and whether it shows, and
// whether a page fits its window without scrolling sideways.
const { expect } = require('@playwright/test');

/** Describes the focused element: its box and how its focus is drawn. Runs in the page. */
function describeFocus(target) {
  const el = document.activeElement;
  if (!el || el === document.body) return { none: true, describe: 'body' };
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().replace(/\s+/g, ' ').slice(0, 60);
  const region = el.closest('header') ? 'header' : el.closest('main') ? 'main' : el.closest('footer') ? 'footer' : 'page';
  return {
    describe: `${region} ${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} "${text}"`,
    isTarget: el === target,
    tag: el.tagName.toLowerCase(),
    id: el.id,
    region,
    text,
    box: { y: box.y + window.scrollY, width: box.width, height: box.height, top: box.top, bottom: box.bottom, left: box.left, right: box.right },
    viewport: { width: window.innerWidth, height: window.innerHeight },
    outline: { style: style.outlineStyle, width: parseFloat(style.outlineWidth) },
    shadow: style.boxShadow,
  };
}

/** What has focus now (see describeFocus); `target` is an element handle to compare with. */
async function focused(page, target = null) {
  return page.evaluate(describeFocus, target);
}

/** Fails unless the focused element is on screen and drawn with Stip's focus ring. */
function expectVisibleFocus(info) {
  expect(info.none, 'something has focus').toBeFalsy();
  const where = info.describe;
  expect(info.box.width * info.box.height, `${where} has a size`).toBeGreaterThan(0);
  expect(info.box.bottom > 0 && info.box.top < info.viewport.height && info.box.right > 0 && info.box.left < info.viewport.width, `${where} is inside the window`).toBe(true);
  const ring = info.outline.style !== 'none' && info.outline.width >= 2;
  expect(ring || info.shadow !== 'none', `${where} shows a focus ring (outline ${info.outline.style} ${info.outline.width}px, shadow ${info.shadow})`).toBe(true);
}

/** Presses Tab (or Shift+Tab), checks the new focus is visible, and returns it. */
async function tab(page, { back = false, target = null } = {}) {
  await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  const info = await focused(page, target);
  expectVisibleFocus(info);
  return info;
}

/** Tabs until `target` (a locator) has focus, checking every stop on the way; at most `max` presses. */
async function tabTo(page, target, max = 200) {
  const handle = await target.elementHandle();
  const stops = [];
  for (let i = 0; i < max; i += 1) {
    const info = await tab(page, { target: handle });
    stops.push(info.describe);
    if (info.isTarget) return info;
  }
  throw new Error(`${target} not reached with ${max} presses of Tab; passed ${stops.slice(-10).join(', ')}`);
}

/**
 * Tabs through the whole page from the top, checking that every stop shows focus, that the order
 * goes header → main → footer, and that within them it never jumps back up the page.
 * Returns the stops.
 */
async function walkTabOrder(page) {
  await page.evaluate(() => window.scrollTo(0, 0));
  // Start from the top of the document, as after loading it.
  await page.locator('body').evaluate((body) => {
    document.activeElement && document.activeElement.blur && document.activeElement.blur();
    body.focus();
  });
  const positives = await page.locator('[tabindex]').evaluateAll((els) => els.filter((e) => e.tabIndex > 0).map((e) => e.outerHTML.slice(0, 80)));
  expect(positives, 'no positive tabindex (it breaks the order)').toEqual([]);
  const stops = [];
  for (let i = 0; i < 400; i += 1) {
    await page.keyboard.press('Tab');
    const info = await focused(page);
    if (info.none || (stops.length && info.describe === stops[0].describe && info.box.y === stops[0].box.y)) break;
    expectVisibleFocus(info);
    stops.push(info);
  }
  expect(stops.length, 'tab stops on the page').toBeGreaterThan(3);
  expect(stops[0].text, 'the skip link is the first stop').toMatch(/^(Naar de inhoud|Skip to content)$/);
  const regions = { header: 1, main: 2, footer: 3, page: 0 };
  for (let i = 2; i < stops.length; i += 1) {
    const prev = stops[i - 1];
    const next = stops[i];
    expect(regions[next.region], `${next.describe} comes after ${prev.describe}`).toBeGreaterThanOrEqual(regions[prev.region]);
    // Document order should be reading order: the next stop does not sit above the previous one.
    expect(next.box.y + next.box.height / 2, `${next.describe} is not above ${prev.describe}`).toBeGreaterThanOrEqual(prev.box.y - 1);
  }
  return stops;
}

/**
 * Fails when the page scrolls sideways at its current window size, naming the elements that stick
 * out. Data tables may scroll inside their own scrolling wrapper (WCAG 1.4.10 allows that).
 */
async function expectNoHorizontalScroll(page, what) {
  const result = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const offenders = [];
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || box.right <= width + 1) continue;
      // Content inside an element that scrolls or clips on its own does not widen the page.
      let clipped = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible') {
          clipped = true;
          break;
        }
      }
      if (!clipped) offenders.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''} (right edge ${Math.round(box.right)})`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, width, offenders: offenders.slice(0, 10) };
  });
  expect(result.offenders, `${what}: elements wider than the ${result.width}px window`).toEqual([]);
  expect(result.scrollWidth, `${what}: page width at a ${result.width}px window`).toBeLessThanOrEqual(result.width);
}

/**
 * Applies the text spacing of WCAG 1.4.12 (line height 1.5, paragraph spacing 2em, letter
 * spacing 0.12em, word spacing 0.16em) as a user style sheet would, and fails when that cuts
 * text off: an element that hides its overflow and now overflows. A constructed style sheet is
 * not inline style, so Stip's CSP allows it.
 */
async function applyTextSpacing(page) {
  await page.evaluate(() => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(
      '* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }',
    );
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  });
}

async function expectNothingCutOff(page, what) {
  const clipped = await page.evaluate(() => {
    const found = [];
    for (const el of document.body.querySelectorAll('*')) {
      const style = getComputedStyle(el);
      const hides = [style.overflowX, style.overflowY].some((o) => o === 'hidden' || o === 'clip');
      // 1×1 px elements are the visually hidden texts for screen readers: clipped on purpose.
      // Form fields scroll their own text as one types.
      if (!hides || el.clientWidth <= 1 || el.matches('input, select, textarea')) continue;
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) {
        found.push(`${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}`);
      }
    }
    return found;
  });
  expect(clipped, `${what}: elements that cut their text off`).toEqual([]);
}

module.exports = { focused, expectVisibleFocus, tab, tabTo, walkTabOrder, expectNoHorizontalScroll, applyTextSpacing, expectNothingCutOff };
