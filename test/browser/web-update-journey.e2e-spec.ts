import { BrowserContext, Page } from 'playwright-core';
import { RollupsService } from '@rt/domain';
import { ApiHarness, startApi } from '../../apps/api/test/api-harness';
import { removeWebKeys } from '../../apps/api/test/web-harness';
import { accessibilityViolations, launchChromium, screenshot } from './browser';

// The demo story's senior manager (README "Demo sign-ins"); her 2014 actions are long overdue.
const DEMO_PASSWORD = 'demo-password-2014';
const SENIOR_MANAGER = 'head.public.protection@kent.example.org';
const PERFORMANCE_MANAGER = 'performance.manager.south-east@example.org';

jest.setTimeout(120_000);

describe('browser: a senior manager updates an overdue action', () => {
  let api: ApiHarness;
  let baseUrl: string;

  beforeAll(async () => {
    api = await startApi({ env: { SEED_DEMO: 'true', DEMO_PASSWORD } });
    const address = api.app.getHttpServer().address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    if (!api) return;
    await removeWebKeys(api.config);
    await api.close();
  });

  async function signIn(page: Page): Promise<void> {
    await page.goto(`${baseUrl}/`);
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel('Email address').fill(SENIOR_MANAGER);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.locator('[data-qa="sign-in"]').click();
    await page.waitForURL(`${baseUrl}/`);
  }

  async function openFirstOverdueAction(page: Page): Promise<string> {
    const link = page.locator('[data-qa="overdue"] [data-qa="action-row"] a').first();
    const title = (await link.textContent())!.trim();
    await link.click();
    await page.waitForURL(/\/actions\/[0-9a-f-]{36}$/);
    await page.locator('h1', { hasText: title }).waitFor();
    return title;
  }

  async function addComment(page: Page, comment: string): Promise<void> {
    await page.getByLabel('Comment', { exact: true }).fill(comment);
    await page.locator('[data-qa="save-update"]').click();
    await page.locator('[data-qa="flash"]').waitFor();
  }

  describe('with JavaScript', () => {
    let context: BrowserContext;
    let close: () => Promise<void>;
    let page: Page;

    beforeAll(async () => {
      ({ context, close } = await launchChromium());
      page = await context.newPage();
    });
    afterAll(() => close?.());

    it('signs in (an accessible page), with an error summary on a wrong password', async () => {
      await page.goto(`${baseUrl}/sign-in`);
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, '01-sign-in');
      await page.getByLabel('Email address').fill(SENIOR_MANAGER);
      await page.getByLabel('Password', { exact: true }).fill('not the password');
      await page.locator('[data-qa="sign-in"]').click();
      await page.locator('.govuk-error-summary').waitFor();
      // GOV.UK's script moves focus to the error summary.
      expect(await page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")).toBe(true);
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, '02-sign-in-error');
    });

    it('lists her actions, overdue first, on an accessible page', async () => {
      await signIn(page);
      await page.locator('h1', { hasText: 'Your actions' }).waitFor();
      expect(await page.locator('[data-qa="overdue"] [data-qa="action-row"]').count()).toBeGreaterThan(0);
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, '03-your-actions');
    });

    it('updates an overdue action with a comment and sees it in the history', async () => {
      await openFirstOverdueAction(page);
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, '04-action');

      await page.getByLabel('Progress', { exact: true }).fill('250');
      await page.locator('[data-qa="save-update"]').click();
      await page.locator('.govuk-error-summary').waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, '05-action-error');

      const progress = await page.locator('#progress').inputValue();
      expect(progress).toBe('250');
      await page.locator('.govuk-error-summary a[href="#progress"]').click();
      expect(await page.evaluate('document.activeElement.id')).toBe('progress');
      await page.locator('#progress').fill('50');
      await addComment(page, 'Browser check: 12 risk plans audited this week');
      await page.locator('[data-qa="history-comment"]', { hasText: '12 risk plans audited this week' }).waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, '06-action-updated');
    });

    it('shows an accessible page for a page that does not exist', async () => {
      await page.goto(`${baseUrl}/no-such-page`);
      await page.locator('h1', { hasText: 'Page not found' }).waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, '07-not-found');
    });
  });

  describe('the performance manager dashboard', () => {
    let context: BrowserContext;
    let close: () => Promise<void>;

    beforeAll(async () => {
      await api.app.get(RollupsService).reconcile('browser test');
      ({ context, close } = await launchChromium());
    });
    afterAll(() => close?.());

    it('shows the portfolio, sorted by overdue, on an accessible page', async () => {
      const page = await context.newPage();
      await page.goto(`${baseUrl}/dashboard`);
      await page.waitForURL(/\/sign-in/);
      await page.getByLabel('Email address').fill(PERFORMANCE_MANAGER);
      await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
      await page.locator('[data-qa="sign-in"]').click();
      await page.waitForURL(`${baseUrl}/dashboard`);
      expect(await page.locator('[data-qa="organisation-row"]').count()).toBeGreaterThan(0);
      await page.locator('[data-qa="sort-overdue"] a').click();
      await page.waitForURL(/sort=overdue&order=desc/);
      expect(await page.locator('[data-qa="sort-overdue"]').getAttribute('aria-sort')).toBe('descending');
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, '09-dashboard');
    });
  });

  describe('without JavaScript', () => {
    let context: BrowserContext;
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ context, close } = await launchChromium({ javaScriptEnabled: false }));
    });
    afterAll(() => close?.());

    it('the whole update journey still works', async () => {
      const page = await context.newPage();
      await signIn(page);
      await openFirstOverdueAction(page);
      await addComment(page, 'No-script check: partnership meeting held');
      await page.locator('[data-qa="history-comment"]', { hasText: 'partnership meeting held' }).waitFor();
      await screenshot(page, '08-action-updated-without-javascript');
    });
  });
});
