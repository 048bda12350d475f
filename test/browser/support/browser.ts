import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium: the browser tests never download one (`.ci/run` installs the package). */
export const CHROMIUM = '/usr/bin/chromium';

/** Where screenshots go: a test artifact, git-ignored. */
export const ARTIFACTS = resolve(import.meta.dirname, '../../../test-results');

export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium was not found at ${CHROMIUM}: the browser tests need it (Debian/Ubuntu: sudo apt-get install -y chromium).`,
    );
  }
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
};

/** axe-core, the accessibility engine, from its npm package (no download). */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Everything axe-core's result depends on that can differ between two moments of one page: the
 * document as it stands (its markup, attributes and inline styles), the values and ticks of its form
 * fields (properties, not in the markup), which element has focus and which are hovered, the
 * viewport, the scroll and the fonts' state. The style sheets and axe's rules are the same for the
 * whole run. A string: this file is compiled without the DOM's types.
 */
const PAGE_STATE = `(() => {
  const all = Array.prototype.slice.call(document.getElementsByTagName('*'));
  const fields = Array.prototype.slice.call(document.querySelectorAll('input, select, textarea'))
    .map((f) => [all.indexOf(f), f.value, f.checked, f.selectedIndex]);
  const active = document.activeElement;
  return JSON.stringify([
    document.documentElement.outerHTML,
    fields,
    all.indexOf(active),
    active ? active.matches(':focus-visible') : false,
    Array.prototype.slice.call(document.querySelectorAll(':hover')).map((e) => all.indexOf(e)),
    [window.innerWidth, window.innerHeight, window.devicePixelRatio, window.scrollX, window.scrollY],
    document.fonts.status,
  ]);
})()`;

/**
 * The page states axe-core has already passed in this test file (digests of PAGE_STATE). axe's result
 * is a function of that state, so the same state met again (the sign-in screen and the overview,
 * drawn again at each sign-in) is not checked a second time: each costs seconds on the CI's 2 cores.
 * Any difference (another user's overview, another year, a field filled in) is checked afresh.
 */
const passedStates = new Set<string>();

/**
 * Runs axe-core on the screen as drawn (its data loaded) and fails with every violation it finds
 * (WCAG 2.x A and AA, and axe's best practices). axe is evaluated through the DevTools protocol, which
 * the page's Content-Security-Policy does not govern: the page itself still runs no inline script.
 * A page state this file's tests already passed is not checked again (`passedStates`).
 */
export const expectAccessible = async (page: Page, screen: string) => {
  await settled(page);
  const state = createHash('sha256')
    .update((await page.evaluate(PAGE_STATE)) as string)
    .digest('hex');
  if (passedStates.has(state)) return;
  // Once per document: a screen reached through the navigation keeps the copy already evaluated.
  if (!(await page.evaluate('typeof axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  // A string: this file is compiled without the DOM's types.
  const violations = (await page.evaluate(`axe
    .run(document, { resultTypes: ['violations'] })
    .then((r) => r.violations.map((v) =>
      v.id + ' (' + v.impact + '): ' + v.help + ' at ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`)) as string[];
  if (violations.length > 0) {
    throw new Error(`axe-core found accessibility violations on ${screen}:\n- ${violations.join('\n- ')}`);
  }
  passedStates.add(state);
};

/** The page's API calls under way (method and path, since when), kept from the first wait on the page. */
const underWay = new WeakMap<Page, Map<object, string>>();
const trackRequests = (page: Page) => {
  if (underWay.has(page)) return;
  const pending = new Map<object, string>();
  underWay.set(page, pending);
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (r.resourceType() === 'fetch' || r.resourceType() === 'xhr')
      pending.set(
        r,
        `${r.method()} ${url.pathname}${url.search} (since ${new Date().toISOString().slice(11, 23)})`,
      );
  });
  page.on('requestfinished', (r) => pending.delete(r));
  page.on('requestfailed', (r) => pending.delete(r));
};

/**
 * Waits until the page's API calls are all answered and the page has drawn what they brought.
 * `networkidle` alone returns at once on a page that was idle once, whatever it started reading since. The
 * calls are known from the first wait on the page (`trackRequests`); on a page never waited on before,
 * this is `networkidle` alone.
 */
const settled = async (page: Page) => {
  await page.waitForLoadState('networkidle');
  const pending = underWay.get(page);
  const started = Date.now();
  while (pending && pending.size > 0) {
    if (Date.now() - started > 60_000) {
      throw new Error(`API calls still unanswered after a minute: ${[...pending.values()].join(', ')}`);
    }
    await page.waitForTimeout(25);
  }
  // The answers' handlers draw in the page's next tasks: one frame later, they have.
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))');
};

/**
 * Waits for a screen's heading; a screen that failed to load (an error shown in place of it) fails the
 * test at once with the words the page shows, not after a bare timeout. A machine loaded by the other
 * test file (two at a time on two cores) can take long to answer the screen's reads: the wait is a
 * minute, and one that runs out says which of the page's API calls were still unanswered.
 */
const waitForHeading = async (page: Page, heading: RegExp) => {
  trackRequests(page);
  const title = page.getByRole('heading', { level: 1, name: heading });
  const failed = page.locator('main > p.error[role=alert]');
  try {
    await title.or(failed).first().waitFor({ timeout: 60_000 });
  } catch (error) {
    const pending = [...(underWay.get(page)?.values() ?? [])];
    throw new Error(
      `the screen ${heading} did not show within a minute; API calls unanswered: ${pending.join(', ') || 'none'} (${(error as Error).message.split('\n')[0]})`,
    );
  }
  if (!(await title.isVisible()))
    throw new Error(`the screen ${heading} did not load: ${await failed.textContent()}`);
};

/** Signs in on the dashboard's sign-in screen by pasting a token, as a local user does; both screens pass axe. */
export const signIn = async (page: Page, url: string, token: string) => {
  trackRequests(page);
  await page.goto(`${url}/#/overview`);
  const signOut = page.getByRole('button', { name: 'Đăng xuất' });
  const field = page.getByLabel('Mã truy cập (JWT)');
  // Signed in (the header's sign-out) or not (the field), once the page shows either: checked at once, a
  // page still drawing showed neither, the sign-out was skipped and the field never came (a CI run, 3
  // December 2026).
  try {
    await signOut.or(field).first().waitFor();
    if (await signOut.isVisible()) await signOut.click();
    await field.waitFor();
  } catch (error) {
    // What the page showed instead, so a repeat can be traced.
    const shown = ((await page.locator('body').textContent()) ?? '').replace(/\s+/g, ' ').slice(0, 400);
    throw new Error(
      `no sign-in screen at ${page.url()}; the page shows: ${shown} (${(error as Error).message.split('\n')[0]})`,
    );
  }
  // The help shows the command as code, never Markdown's backticks.
  const help = page.locator('#token-help');
  if ((await help.textContent())?.includes('`')) throw new Error('the sign-in help shows Markdown backticks');
  if (!(await help.locator('code').textContent())?.startsWith('npm run -s token'))
    throw new Error('the sign-in help does not show the token command as code');
  await expectAccessible(page, 'the sign-in screen');
  await field.fill(token);
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await waitForHeading(page, /Tổng quan/);
  await expectAccessible(page, 'the overview');
};

/** Goes to a screen through the navigation, as a keyboard or mouse user would; the screen passes axe. */
export const openScreen = async (page: Page, name: string, heading: RegExp) => {
  await page.getByRole('navigation').getByRole('link', { name }).click();
  await waitForHeading(page, heading);
  await expectAccessible(page, `the screen ${name}`);
};

/** The terms and values of definition lists (a record's facts), as an object: term → its value's text. */
export const factsOf = async (lists: Locator): Promise<Record<string, string | null>> =>
  Object.fromEntries(
    await lists
      .locator('dt')
      .evaluateAll((dts) =>
        dts.map((dt) => [
          dt.textContent ?? '',
          (dt as { nextElementSibling: { textContent: string | null } }).nextElementSibling.textContent,
        ]),
      ),
  );
