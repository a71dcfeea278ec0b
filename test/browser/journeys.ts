import { Browser, Page } from 'playwright-core';
import { ApiHarness } from '../../apps/api/test/api-harness';

// The demo story's people (README "Demo sign-ins"), and the first admin made from ADMIN_EMAIL/ADMIN_PASSWORD.
export const DEMO_PASSWORD = 'demo-password-2014';
export const SENIOR_MANAGER = 'head.public.protection@kent.example.org';
export const PERFORMANCE_MANAGER = 'performance.manager.south-east@example.org';
export const PERFORMANCE_MANAGER_NAME = 'NOMS Performance Manager, South East';
export const ADMIN = 'admin@example.org';
export const ADMIN_PASSWORD = 'browser-admin-password';
export const ADMIN_NAME = 'Administrator';

/** The environment that loads the demo story and makes the first admin on the test's empty database. */
export const DEMO_ENV = {
  SEED_DEMO: 'true',
  DEMO_PASSWORD,
  ADMIN_EMAIL: ADMIN,
  ADMIN_PASSWORD,
};

export function baseUrlOf(api: ApiHarness): string {
  const address = api.app.getHttpServer().address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

/** A new person at their own browser window: cookies of their own, in the one Chromium. */
export async function person(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  return context.newPage();
}

/** Closes each person's browser window, whatever state it was left in. */
export async function closeAll(pages: Page[]): Promise<void> {
  const contexts = pages.map((page) => page.context());
  await Promise.all(contexts.map((context) => context.close().catch(() => undefined)));
}

/** Signs in on the sign-in page and waits to be back on `path`. */
export async function signIn(page: Page, baseUrl: string, email: string, path = '/'): Promise<void> {
  await page.goto(`${baseUrl}/sign-in?returnTo=${encodeURIComponent(path)}`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(email === ADMIN ? ADMIN_PASSWORD : DEMO_PASSWORD);
  await page.locator('[data-qa="sign-in"]').click();
  await page.waitForURL(`${baseUrl}${path}`);
}

/** The one id a query answers (for records a test needs to open by address). */
export async function idOf(api: ApiHarness, sql: string, params: unknown[] = []): Promise<string> {
  const { rows } = await api.pool.query(sql, params);
  if (rows.length !== 1) throw new Error(`expected one row, got ${rows.length}: ${sql}`);
  return rows[0].id;
}

/** The visible text of an element, with runs of white space made one space. */
export async function textOf(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}
