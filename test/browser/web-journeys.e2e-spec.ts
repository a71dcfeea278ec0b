import { Browser, BrowserContext, Page } from 'playwright-core';
import { MAX_SIGN_IN_FAILURES } from '../../apps/api/src/web/auth/sign-in-lockout.service';
import { ApiHarness, startApi } from '../../apps/api/test/api-harness';
import { removeWebKeys } from '../../apps/api/test/web-harness';
import { accessibilityViolations, launchChromium, screenshot } from './browser';

// The demo story's people (README "Demo sign-ins"): Kent's 2014 actions are long overdue.
const DEMO_PASSWORD = 'demo-password-2014';
const SENIOR_MANAGER = 'head.public.protection@kent.example.org';
const COLLEAGUE = 'assistant.chief.executive@kent.example.org';
const LOCKED_OUT = 'head.interventions@kent.example.org';
const PERFORMANCE_MANAGER = 'performance.manager.south-east@example.org';
// GOV.UK's focus colour (govuk-frontend's $govuk-focus-colour, #ffdd00): every focus state uses it.
const FOCUS_YELLOW = 'rgb(255, 221, 0)';

jest.setTimeout(180_000);

describe('browser: web journeys', () => {
  let api: ApiHarness;
  let baseUrl: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    const [started, chromium] = await Promise.all([
      startApi({ env: { SEED_DEMO: 'true', DEMO_PASSWORD } }),
      launchChromium(),
    ]);
    api = started;
    const address = api.app.getHttpServer().address() as { port: number };
    baseUrl = `http://127.0.0.1:${address.port}`;
    browser = chromium.context.browser()!;
    closeBrowser = chromium.close;
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await closeBrowser?.();
    if (!api) return;
    await removeWebKeys(api.config);
    await api.close();
  });

  /** A new person at their own browser: cookies of their own. */
  async function person(): Promise<Page> {
    const context = await browser.newContext();
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    return context.newPage();
  }

  async function signIn(page: Page, email: string, path = '/'): Promise<void> {
    await page.goto(`${baseUrl}/sign-in?returnTo=${encodeURIComponent(path)}`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.locator('[data-qa="sign-in"]').click();
    await page.waitForURL(`${baseUrl}${path}`);
  }

  async function expectAccessible(page: Page, name: string): Promise<void> {
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, `journeys-${name}`);
  }

  async function actionIdOf(title: string): Promise<string> {
    const { rows } = await api.pool.query(`SELECT id FROM actions WHERE title = $1`, [title]);
    return rows[0].id;
  }

  describe('by keyboard alone', () => {
    /**
     * What has focus, and whether it shows GOV.UK's focus state: its colour in the outline, box-shadow or
     * background (radios and checkboxes show it on their label's ::before). Run in the page, so written as text.
     */
    const FOCUS_STATE = `(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return { what: 'nothing', visible: false };
      const choice = el.matches('input[type="radio"], input[type="checkbox"]') && el.labels && el.labels[0];
      const style = choice ? getComputedStyle(choice, '::before') : getComputedStyle(el);
      const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0 ? style.outlineColor : '';
      const visible = [outline, style.boxShadow, style.backgroundColor].some((v) => v.includes('${FOCUS_YELLOW}'));
      const text = (el.textContent || el.value || '').trim().slice(0, 30);
      return { what: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + text + '"', visible };
    })()`;
    const focusState = (page: Page) => page.evaluate<{ what: string; visible: boolean }>(FOCUS_STATE);
    const hasFocus = (page: Page, selector: string) =>
      page.evaluate<boolean>(`document.activeElement === document.querySelector(${JSON.stringify(selector)})`);

    const unfocusable: string[] = [];
    const stops: string[] = [];

    /** Presses Tab until the first element matching `selector` has focus, checking the focus state at every stop. */
    async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        const state = await focusState(page);
        stops.push(state.what);
        if (!state.visible) unfocusable.push(`${page.url()}: ${state.what}`);
        if (await hasFocus(page, selector)) return;
      }
      throw new Error(`${selector} not reached in ${max} presses of Tab`);
    }

    it('signs in, reaches the first overdue action, updates it and sees it in the history, never clicking', async () => {
      const page = await person();
      await page.goto(`${baseUrl}/`);
      await page.waitForURL(/\/sign-in/);
      await expectAccessible(page, '01-keyboard-sign-in');
      await tabTo(page, '#email');
      await page.keyboard.type(SENIOR_MANAGER);
      await tabTo(page, '#password');
      await page.keyboard.type(DEMO_PASSWORD);
      await tabTo(page, '[data-qa="sign-in"]');
      await page.keyboard.press('Enter');
      await page.waitForURL(`${baseUrl}/`);

      const firstOverdue = '[data-qa="overdue"] [data-qa="action-row"] a';
      const title = (await page.locator(firstOverdue).first().textContent())!.trim();
      await expectAccessible(page, '02-keyboard-your-actions');
      await tabTo(page, firstOverdue);
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/actions\/[0-9a-f-]{36}$/);
      await page.locator('h1', { hasText: title }).waitFor();
      await expectAccessible(page, '03-keyboard-action');

      // Into the status radios (focus lands on the chosen one), then the arrow key chooses the next: Blocked.
      expect(await page.locator('input[name="status"]:checked').inputValue()).toBe('in_progress');
      await tabTo(page, 'input[name="status"]:checked');
      await page.keyboard.press('ArrowDown');
      expect(await page.locator('input[name="status"]:checked').inputValue()).toBe('blocked');
      expect((await focusState(page)).visible).toBe(true);
      await tabTo(page, '#progress');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('35');
      await tabTo(page, '#comment');
      await page.keyboard.type('Keyboard check: waiting for the police to share MAPPA minutes');
      await tabTo(page, '[data-qa="save-update"]');
      await page.keyboard.press('Enter');

      await page.locator('[data-qa="flash"]', { hasText: 'Action updated' }).waitFor();
      await page.locator('[data-qa="history-comment"]', { hasText: 'waiting for the police to share MAPPA' }).waitFor();
      const history = await page.locator('[data-qa="history"]').textContent();
      expect(history).toContain('Status: In progress to Blocked');
      expect(history).toMatch(/Progress: \d+% to 35%/);
      await expectAccessible(page, '04-keyboard-action-updated');

      expect(stops.length).toBeGreaterThan(10);
      expect(unfocusable).toEqual([]);
    });
  });

  describe('two people editing the same action', () => {
    const TITLE = 'Make sure risk management plans address specific and potential victims';

    it('tells the second plainly that someone else changed it, keeps what they typed, and lets them save', async () => {
      const url = `${baseUrl}/actions/${await actionIdOf(TITLE)}`;
      const [owner, colleague] = await Promise.all([person(), person()]);
      await Promise.all([
        signIn(owner, SENIOR_MANAGER, new URL(url).pathname),
        signIn(colleague, COLLEAGUE, new URL(url).pathname),
      ]);

      // Both have the form open; the owner saves first.
      await owner.getByLabel('Progress', { exact: true }).fill('70');
      await owner.getByLabel('Comment', { exact: true }).fill('Owner: victim sections added to the plan template');
      await colleague.getByLabel('Progress', { exact: true }).fill('65');
      await colleague.getByLabel('Comment', { exact: true }).fill('Colleague: sampled 20 plans, 16 now name victims');
      await owner.locator('[data-qa="save-update"]').click();
      await owner.locator('[data-qa="flash"]').waitFor();

      await colleague.locator('[data-qa="save-update"]').click();
      const stale = colleague.locator('[data-qa="stale"]');
      await stale.waitFor();
      expect(await stale.textContent()).toContain('Someone else updated this action while you were editing it');
      // Nothing lost: what they typed is still in the form, and the page shows the owner's change.
      expect(await colleague.locator('#comment').inputValue()).toBe('Colleague: sampled 20 plans, 16 now name victims');
      expect(await colleague.locator('#progress').inputValue()).toBe('65');
      await colleague.locator('[data-qa="history-comment"]', { hasText: 'victim sections added' }).waitFor();
      await expectAccessible(colleague, '05-stale-edit');

      // Saving again from that page applies their update on top of the owner's.
      await colleague.locator('[data-qa="save-update"]').click();
      await colleague.locator('[data-qa="flash"]', { hasText: 'Action updated' }).waitFor();
      await colleague.reload();
      const history = await colleague.locator('[data-qa="history"]').textContent();
      expect(history).toContain('16 now name victims');
      expect(history).toContain('victim sections added to the plan template');
      expect(history).toContain('Progress: 70% to 65%');
      const { rows } = await api.pool.query(`SELECT progress, version FROM actions WHERE title = $1`, [TITLE]);
      expect(rows[0].progress).toBe(65);
    });
  });

  describe('signing in too many times with the wrong password', () => {
    /** Posts the sign-in form; answers the error summary's text. */
    async function attempt(page: Page, email: string, password: string): Promise<string> {
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.locator('[data-qa="sign-in"]').click();
      const summary = page.locator('.govuk-error-summary');
      await summary.waitFor();
      return (await summary.locator('.govuk-error-summary__list').textContent())!.trim();
    }

    it('locks the email, refuses even the right password, and says the same whether or not the email exists', async () => {
      const page = await person();
      await page.goto(`${baseUrl}/sign-in`);
      const told: Record<string, string[]> = { real: [], unknown: [] };
      for (let i = 0; i < MAX_SIGN_IN_FAILURES; i++) {
        told.real.push(await attempt(page, LOCKED_OUT, `wrong password ${i}`));
        if (i === 0) await expectAccessible(page, '06-sign-in-wrong-password');
        told.unknown.push(await attempt(page, 'nobody.at.all@kent.example.org', `wrong password ${i}`));
      }
      expect(told.real.slice(0, -1)).toEqual(
        Array(MAX_SIGN_IN_FAILURES - 1).fill('Enter a correct email address and password'),
      );
      const locked =
        'You have entered a wrong email address or password too many times. Wait 15 minutes, then try again';
      expect(told.real.at(-1)).toBe(locked);
      expect(told.unknown).toEqual(told.real);

      expect(await attempt(page, LOCKED_OUT, DEMO_PASSWORD)).toBe(locked);
      expect(page.url()).toBe(`${baseUrl}/sign-in`);
      expect(await page.locator('[data-qa="signed-in"]').count()).toBe(0);
      await expectAccessible(page, '07-sign-in-locked');
      expect(await attempt(page, 'nobody.at.all@kent.example.org', DEMO_PASSWORD)).toBe(locked);
    });
  });

  describe('your preferences', () => {
    it('changes reminders to weekly and turns the digest off, saying so, on accessible pages', async () => {
      const page = await person();
      await signIn(page, PERFORMANCE_MANAGER);
      await page.getByRole('link', { name: 'Your preferences' }).click();
      await page.waitForURL(`${baseUrl}/preferences`);
      await page.locator('h1', { hasText: 'Your preferences' }).waitFor();
      await expectAccessible(page, '08-preferences');

      await page.getByLabel('Once a week').check();
      await page.getByLabel('No, do not email me the weekly digest').check();
      await page.locator('[data-qa="save-preferences"]').click();
      const banner = page.locator('[data-qa="flash"]');
      await banner.waitFor();
      expect(await banner.textContent()).toContain('Your preferences have been saved');
      expect(await page.getByLabel('Once a week').isChecked()).toBe(true);
      expect(await page.getByLabel('No, do not email me the weekly digest').isChecked()).toBe(true);
      await expectAccessible(page, '09-preferences-saved');

      const { rows } = await api.pool.query(`SELECT reminder_delivery, weekly_digest FROM users WHERE email = $1`, [
        PERFORMANCE_MANAGER,
      ]);
      expect(rows[0]).toEqual({ reminder_delivery: 'weekly', weekly_digest: false });
    });
  });
});
