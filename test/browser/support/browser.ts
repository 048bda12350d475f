import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

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

/** Signs in on the dashboard's sign-in screen by pasting a token, as a local user does. */
export const signIn = async (page: Page, url: string, token: string) => {
  await page.goto(`${url}/#/overview`);
  const signOut = page.getByRole('button', { name: 'Đăng xuất' });
  if (await signOut.isVisible()) await signOut.click();
  await page.getByLabel('Mã truy cập (JWT)').fill(token);
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: /Tổng quan/ }).waitFor();
};

/** Goes to a screen through the navigation, as a keyboard or mouse user would. */
export const openScreen = async (page: Page, name: string, heading: RegExp) => {
  await page.getByRole('navigation').getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name: heading }).waitFor();
};
