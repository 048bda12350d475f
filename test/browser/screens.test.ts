import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Runtime, startRuntime } from '../e2e/support/local-runtime.ts';
import { TEST_CLOCK_START } from '../support/fixtures.ts';
import { ARTIFACTS, expectAccessible, launchChromium, signIn } from './support/browser.ts';

/**
 * Issue 19: every screen at a desktop's and a phone's size, screenshotted (test-results/screenshots,
 * git-ignored) and checked with axe-core; on the phone, nothing is cut off. One runtime, one page per size.
 */
let rt: Runtime;
let browser: Browser;

const SHOTS = join(ARTIFACTS, 'screenshots');
const SIZES = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;
type Size = keyof typeof SIZES;

/** The navigation's screens by their address (their names are the glossary's to change). */
const SCREENS = [
  'overview',
  'allocations',
  'contracts',
  'requests',
  'ledger',
  'alerts',
  'suggestions',
  'imports',
] as const;

/** A request of the demo waiting at the province (its dossier screen). */
const REQUEST = '2024-da1-central-a-xan-r4';

beforeAll(async () => {
  [rt, browser] = await Promise.all([startRuntime({ seed: true }), launchChromium()]);
  mkdirSync(SHOTS, { recursive: true });
  // Alerts to show: the monitor's run on the demo's day.
  const planner = await rt.token('an', ['planner']);
  await rt.call('POST', '/monitor/runs', { token: planner, body: { asOf: '2024-09-30' } });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

/**
 * What a phone cuts off: elements reaching past the screen's edges that no scroll container with a
 * visible cue holds, and cells whose text overflows them. A string: this file has no DOM types.
 */
const CLIPPED = `(() => {
  const width = document.documentElement.clientWidth;
  const where = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
    ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
  const cuedScroller = (el) => {
    for (let a = el.parentElement; a; a = a.parentElement) {
      const o = getComputedStyle(a).overflowX;
      if (o === 'auto' || o === 'scroll') return a.closest('.scroll-cue[data-overflows]') !== null;
    }
    return false;
  };
  const out = [];
  if (document.documentElement.scrollWidth > width + 1) out.push('the page scrolls sideways: ' + document.documentElement.scrollWidth + 'px');
  // Not drawn, or drawn for screen readers only (a card table's header row, clipped to nothing).
  const hidden = (el) => {
    for (let a = el; a; a = a.parentElement) {
      if (a.tagName === 'DETAILS' && !a.open && el.tagName !== 'SUMMARY' && a !== el) return true;
      if (getComputedStyle(a).clipPath !== 'none') return true;
    }
    return false;
  };
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if ((r.right > width + 1 || r.left < -1) && !cuedScroller(el) && !el.closest('.skip') && !hidden(el)) out.push('past the edge: ' + where(el));
  }
  for (const cell of document.querySelectorAll('td, th, dd')) {
    if (cell.scrollWidth > cell.clientWidth + 1 && !cuedScroller(cell) && !hidden(cell)) out.push('overflowing cell: ' + where(cell));
  }
  return out.slice(0, 20);
})()`;

/**
 * Waits for a screen drawn with its data: the navigation marks it (a record's screen: no entry) and
 * its heading has replaced the loading line.
 */
const drawn = async (page: Page, screen?: string) => {
  const current = page.locator('nav a[aria-current=page]');
  if (screen) await page.locator(`nav a[href="#/${screen}"][aria-current=page]`).waitFor();
  else await expect.poll(() => current.count()).toBe(0);
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle');
};

/** Screenshots the screen drawn, and on the phone lists what it cuts off. */
const capture = async (page: Page, size: Size, name: string) => {
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(SHOTS, `${name}-${size}.png`), fullPage: true });
  const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
  const clipped = size === 'phone' ? ((await page.evaluate(CLIPPED)) as string[]) : [];
  return { name, height, clipped };
};

const visitAll = async (size: Size) => {
  const context = await browser.newContext({ viewport: SIZES[size], acceptDownloads: true });
  await context.clock.setSystemTime(new Date(TEST_CLOCK_START));
  const page = await context.newPage();
  const results: { name: string; height: number; clipped: string[] }[] = [];
  try {
    await page.goto(`${rt.url}/?fiscalYear=2024&asOf=2024-09-30`);
    const signOut = page.getByRole('button', { name: 'Đăng xuất' });
    if (await signOut.isVisible()) await signOut.click();
    await page.getByLabel('Mã truy cập (JWT)').waitFor();
    await expectAccessible(page, `the sign-in screen (${size})`);
    results.push(await capture(page, size, 'sign-in'));
    const token = await rt.token('an', ['planner', 'finance', 'inspector', 'approver-province']);
    await signIn(page, rt.url, token);
    for (const name of SCREENS) {
      await page.getByRole('navigation').locator(`a[href="#/${name}"]`).click();
      await drawn(page, name);
      // The overview's chart data: a table of figures that scrolls sideways, with its cue.
      if (name === 'overview') await page.locator('main details summary').first().click();
      await expectAccessible(page, `the screen ${name} (${size})`);
      results.push(await capture(page, size, name));
    }
    await page.getByRole('navigation').locator('a[href="#/allocations"]').click();
    await drawn(page, 'allocations');
    const list = await page.locator('main h1').elementHandle();
    await page.locator('main a[href^="#/allocation/"]').first().click();
    await list?.waitForElementState('hidden');
    await drawn(page);
    await expectAccessible(page, `an allocation (${size})`);
    results.push(await capture(page, size, 'allocation'));
    const allocation = await page.locator('main h1').elementHandle();
    await page.goto(`${rt.url}/#/request/${REQUEST}`);
    await allocation?.waitForElementState('hidden');
    await drawn(page);
    await expectAccessible(page, `a request's dossier (${size})`);
    results.push(await capture(page, size, 'request'));
  } finally {
    await context.close();
  }
  return results;
};

describe('every screen at a desktop’s and a phone’s size (issue 19)', () => {
  it('draws every screen accessibly on a desktop', async () => {
    const results = await visitAll('desktop');
    console.log(results.map((r) => `${r.name}: ${r.height}px`).join('\n'));
    expect(results.map((r) => r.name)).toHaveLength(SCREENS.length + 3);
  }, 240_000);

  it('cuts nothing off on a phone, tables scrolling with a cue or drawn as cards', async () => {
    const results = await visitAll('phone');
    console.log(results.map((r) => `${r.name}: ${r.height}px\n  ${r.clipped.join('\n  ')}`).join('\n'));
    expect(results.filter((r) => r.clipped.length > 0)).toEqual([]);
    // The allocations screen lists ten cards under its filters, not 13,000 px of one-word lines.
    expect(results.find((r) => r.name === 'allocations')?.height).toBeLessThan(6000);
  }, 240_000);
});
