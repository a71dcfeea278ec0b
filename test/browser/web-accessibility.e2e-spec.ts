import { Browser, Page } from 'playwright-core';
import { RollupsService } from '@rt/domain';
import { ApiHarness, startApi } from '../../apps/api/test/api-harness';
import { removeWebKeys } from '../../apps/api/test/web-harness';
import { accessibilityViolations, launchChromium, screenshot } from './browser';
import {
  ADMIN,
  baseUrlOf,
  closeAll,
  DEMO_ENV,
  idOf,
  PERFORMANCE_MANAGER,
  person,
  SENIOR_MANAGER,
  signIn,
  textOf,
} from './journeys';

jest.setTimeout(120_000);

/**
 * axe-core at WCAG 2.2 A/AA on every page of the service, each opened by the role that uses it: one Chromium, one
 * sign-in per role, on the demo story. Each test opens a page (checking it is the page meant: its status and h1),
 * asserts no violations and saves a screenshot. Forms are also submitted empty (or wrong) to check their error states.
 */
describe('browser: every page passes axe (WCAG 2.2 A/AA)', () => {
  let api: ApiHarness;
  let baseUrl: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const pages: Page[] = [];
  const id: Record<string, string> = {};

  beforeAll(async () => {
    const [started, chromium] = await Promise.all([startApi({ env: DEMO_ENV }), launchChromium()]);
    api = started;
    baseUrl = baseUrlOf(api);
    browser = chromium.context.browser()!;
    closeBrowser = chromium.close;
    // No worker here: the dashboard's figures are made at once instead.
    await api.app.get(RollupsService).reconcile('browser test');
    const one = (sql: string, params: unknown[]) => idOf(api, sql, params);
    id.kent = await one(`SELECT id FROM organisations WHERE name = $1`, ['Kent Probation Trust']);
    id.inspection = await one(`SELECT id FROM inspections WHERE organisation_id = $1`, [id.kent]);
    const recommendation = (reference: string) =>
      one(`SELECT id FROM recommendations WHERE inspection_id = $1 AND reference = $2`, [id.inspection, reference]);
    id.r1 = await recommendation('R1');
    id.r4 = await recommendation('R4');
    const action = (title: string) => one(`SELECT id FROM actions WHERE title = $1`, [title]);
    id.audit = await action('Introduce a monthly management audit of risk management plans in high risk cases');
    id.homeVisits = await action('Issue home visit guidance and record visits in the case management system');
    id.pm = await one(`SELECT id FROM users WHERE email = $1`, [PERFORMANCE_MANAGER]);
  });
  afterAll(async () => {
    await closeAll(pages);
    await closeBrowser?.();
    if (!api) return;
    await removeWebKeys(api.config);
    await api.close();
  });

  async function signedIn(email: string): Promise<Page> {
    const page = await person(browser);
    pages.push(page);
    await signIn(page, baseUrl, email);
    return page;
  }

  /** Opens a page and checks it is the one meant: its status, its title and its one h1. */
  async function open(page: Page, path: string, h1: string | RegExp, status = 200): Promise<void> {
    const response = await page.goto(`${baseUrl}${path}`);
    expect(response?.status()).toBe(status);
    await expectHeading(page, h1);
  }

  /** After a click, the page it led to may still be on its way: waits for its heading before looking. */
  async function expectHeading(page: Page, h1: string | RegExp): Promise<void> {
    await page.locator('h1', { hasText: h1 }).first().waitFor();
    expect(await page.title()).toMatch(/.+ - Recommendation Tracker$/);
    expect(await page.locator('h1').count()).toBe(1);
    const text = await textOf(page, 'h1');
    if (typeof h1 === 'string') expect(text).toBe(h1);
    else expect(text).toMatch(h1);
  }

  /** Submits the page's form with the given button: a 400 re-render, titled "Error: …", with an error summary. */
  async function submitForErrors(page: Page, button: string): Promise<string> {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.locator(button).click(),
    ]);
    expect(response.status()).toBe(400);
    await page.locator('.govuk-error-summary').waitFor();
    expect(await page.title()).toMatch(/^Error: .+ - Recommendation Tracker$/);
    return textOf(page, '.govuk-error-summary');
  }

  async function expectAccessible(page: Page, name: string): Promise<void> {
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, `a11y-${name}`);
  }

  describe('signed out', () => {
    let page: Page;
    beforeAll(async () => {
      page = await person(browser);
      pages.push(page);
    });

    it('sign in, and its error state', async () => {
      // Colour contrast means nothing on an unstyled page: the stylesheet is built by `npm run build`.
      expect((await page.request.get(`${baseUrl}/assets/web/application.css`)).status()).toBe(200);
      await open(page, '/sign-in', 'Sign in');
      await expectAccessible(page, 'sign-in');
      expect(await submitForErrors(page, '[data-qa="sign-in"]')).toContain('There is a problem');
      await expectAccessible(page, 'sign-in-errors');
    });
  });

  describe('a senior manager', () => {
    let page: Page;
    beforeAll(async () => {
      page = await signedIn(SENIOR_MANAGER);
    });

    it('your actions', async () => {
      await open(page, '/', 'Your actions');
      await expectAccessible(page, 'sm-your-actions');
    });

    it('an action, and its update form with errors', async () => {
      await open(page, `/actions/${id.audit}`, /monthly management audit/);
      await expectAccessible(page, 'sm-action');
      await page.getByLabel('Progress', { exact: true }).fill('');
      expect(await submitForErrors(page, '[data-qa="save-update"]')).toContain('Enter progress as a whole number');
      await expectAccessible(page, 'sm-action-errors');
    });

    it('a recommendation', async () => {
      await open(page, `/recommendations/${id.r1}`, 'Recommendation R1');
      await expectAccessible(page, 'sm-recommendation');
    });

    it('the response form, and its error state (not agreed, with no rationale)', async () => {
      await open(page, `/recommendations/${id.r1}/response`, 'Edit the response to R1');
      await expectAccessible(page, 'sm-response');
      await page.locator('input[name="response"][value="not_accepted"]').check();
      await page.locator('#responseRationale').fill('');
      expect(await submitForErrors(page, '[data-qa="save-response"]')).toMatch(/rationale/i);
      await expectAccessible(page, 'sm-response-errors');
    });

    it('the new action form, and its errors when sent empty', async () => {
      await open(page, `/recommendations/${id.r1}/actions/new`, 'Add an action');
      await expectAccessible(page, 'sm-new-action');
      expect(await submitForErrors(page, '[data-qa="save-action"]')).toContain('Enter a title');
      await expectAccessible(page, 'sm-new-action-errors');
    });

    it('the assign form, and its error when sent empty', async () => {
      await open(page, `/recommendations/${id.r4}/actions/${id.homeVisits}/assign`, 'Assign an action');
      await expectAccessible(page, 'sm-assign');
      expect(await submitForErrors(page, '[data-qa="save-assign"]')).toContain('Select the new owner');
      await expectAccessible(page, 'sm-assign-errors');
    });

    it('the inspection and its printable action plan', async () => {
      await open(page, `/inspections/${id.inspection}`, 'Inspection of Adult Offending Work: Kent Probation Trust');
      await expectAccessible(page, 'sm-inspection');
      await open(page, `/inspections/${id.inspection}/action-plan`, /^Action plan: /);
      await expectAccessible(page, 'sm-action-plan');
    });

    it('preferences, and the "form has expired" page', async () => {
      await open(page, '/preferences', 'Your preferences');
      await expectAccessible(page, 'sm-preferences');
      // A form left open past its session, as the server sees it: a token that no longer matches.
      await page.evaluate(`document.querySelectorAll('input[name="_csrf"]').forEach((i) => { i.value = 'stale'; })`);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.locator('[data-qa="save-preferences"]').click(),
      ]);
      expect(response.status()).toBe(403);
      await expectHeading(page, 'The form has expired');
      await expectAccessible(page, 'form-expired');
    });

    it('the 404 page', async () => {
      await open(page, '/no-such-page', 'Page not found', 404);
      await expectAccessible(page, 'not-found');
    });
  });

  describe('a performance manager', () => {
    let page: Page;
    beforeAll(async () => {
      page = await signedIn(PERFORMANCE_MANAGER);
    });

    it('the dashboard', async () => {
      await open(page, '/dashboard', 'Dashboard');
      expect(await page.locator('[data-qa="organisation-row"]').count()).toBeGreaterThan(0);
      await expectAccessible(page, 'pm-dashboard');
    });

    it('an organisation’s dashboard', async () => {
      await open(page, `/dashboard/organisations/${id.kent}`, 'Kent Probation Trust');
      await expectAccessible(page, 'pm-dashboard-organisation');
    });

    it('awaiting verification, and its error state (reopen without a comment)', async () => {
      await open(page, '/dashboard/verification', 'Awaiting verification');
      expect(await page.locator('[data-qa="verification-card"]').count()).toBeGreaterThan(0);
      await expectAccessible(page, 'pm-verification');
      expect(await submitForErrors(page, '[data-qa="verification-card"] >> nth=0 >> [data-qa="reopen"]')).toContain(
        'Reopening an action needs a comment giving the reason',
      );
      await expectAccessible(page, 'pm-verification-errors');
    });

    it('overdue actions', async () => {
      await open(page, '/dashboard/overdue', 'Overdue actions');
      await expectAccessible(page, 'pm-overdue');
    });

    it('snapshots: the list, its error when sent empty, and a snapshot compared with the one before', async () => {
      await open(page, '/dashboard/snapshots', 'Snapshots');
      await expectAccessible(page, 'pm-snapshots');
      expect(await submitForErrors(page, '[data-qa="take-snapshot-button"]')).toContain('There is a problem');
      await expectAccessible(page, 'pm-snapshots-errors');
      for (const name of ['Accessibility check: before', 'Accessibility check: after']) {
        await page.getByLabel('Name of the snapshot').fill(name);
        await page.locator('[data-qa="take-snapshot-button"]').click();
        await page.locator('[data-qa="flash"]', { hasText: 'Snapshot taken' }).waitFor();
        if (name.endsWith('before')) await page.goto(`${baseUrl}/dashboard/snapshots`);
      }
      await expectHeading(page, 'Accessibility check: after');
      await page.locator('[data-qa="diff-counts"]').waitFor();
      await expectAccessible(page, 'pm-snapshot-diff');
    });

    it('importing recommendations: the form, with no file, and with row errors', async () => {
      await open(page, `/inspections/${id.inspection}/import`, 'Import recommendations from CSV');
      await expectAccessible(page, 'pm-import');
      expect(await submitForErrors(page, '[data-qa="import-button"]')).toContain('There is a problem');
      await expectAccessible(page, 'pm-import-no-file');
      await page.locator('#file').setInputFiles({
        name: 'recommendations.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(
          'reference,text,theme,priority\r\nR6,Review victim contact,not_a_theme,high\r\nR7,,risk_of_harm,urgent\r\n',
        ),
      });
      const summary = await submitForErrors(page, '[data-qa="import-button"]');
      expect(summary).toMatch(/Row 2/i);
      expect(summary).toMatch(/Row 3/i);
      await expectAccessible(page, 'pm-import-row-errors');
    });
  });

  describe('an admin', () => {
    let page: Page;
    beforeAll(async () => {
      page = await signedIn(ADMIN);
    });

    it('the admin index', async () => {
      await open(page, '/admin', 'Admin');
      await expectAccessible(page, 'admin-index');
    });

    it('organisations: list, one, change, and add (with errors when sent empty)', async () => {
      await open(page, '/admin/organisations', 'Organisations');
      await expectAccessible(page, 'admin-organisations');
      await open(page, `/admin/organisations/${id.kent}`, 'Kent Probation Trust');
      await expectAccessible(page, 'admin-organisation');
      await open(page, `/admin/organisations/${id.kent}/edit`, 'Change Kent Probation Trust');
      await expectAccessible(page, 'admin-organisation-edit');
      await open(page, '/admin/organisations/new', 'Add an organisation');
      await expectAccessible(page, 'admin-organisation-new');
      expect(await submitForErrors(page, '[data-qa="save"]')).toContain('There is a problem');
      await expectAccessible(page, 'admin-organisation-new-errors');
    });

    it('users: list, one, portfolio, and add (with errors when sent empty)', async () => {
      await open(page, '/admin/users', 'Users');
      await expectAccessible(page, 'admin-users');
      await open(page, `/admin/users/${id.pm}`, 'NOMS Performance Manager, South East');
      await expectAccessible(page, 'admin-user');
      await open(page, `/admin/users/${id.pm}/portfolio`, 'Portfolio of NOMS Performance Manager, South East');
      await expectAccessible(page, 'admin-user-portfolio');
      await open(page, '/admin/users/new', 'Add a user');
      await expectAccessible(page, 'admin-user-new');
      expect(await submitForErrors(page, '[data-qa="save"]')).toContain('There is a problem');
      await expectAccessible(page, 'admin-user-new-errors');
    });

    it('inspections: list, change, findings, and add (with errors when sent empty)', async () => {
      const title = 'Inspection of Adult Offending Work: Kent Probation Trust';
      await open(page, '/admin/inspections', 'Inspections');
      await expectAccessible(page, 'admin-inspections');
      await open(page, `/admin/inspections/${id.inspection}/edit`, title);
      await expectAccessible(page, 'admin-inspection-edit');
      await open(page, `/admin/inspections/${id.inspection}/findings`, title);
      await expectAccessible(page, 'admin-findings');
      expect(await submitForErrors(page, '[data-qa="save"]')).toContain('There is a problem');
      await expectAccessible(page, 'admin-findings-errors');
      await open(page, '/admin/inspections/new', 'Add an inspection');
      await expectAccessible(page, 'admin-inspection-new');
      expect(await submitForErrors(page, '[data-qa="save"]')).toContain('There is a problem');
      await expectAccessible(page, 'admin-inspection-new-errors');
    });

    it('hand-overs: the list and each step of the wizard up to the check page (not confirmed)', async () => {
      await open(page, '/admin/handovers', 'Hand-overs');
      await expectAccessible(page, 'admin-handovers');
      await open(page, '/admin/handovers/new', 'Organisations handing over');
      await expectAccessible(page, 'admin-handover-start');
      expect(await submitForErrors(page, '[data-qa="continue"]')).toContain('There is a problem');
      await expectAccessible(page, 'admin-handover-start-errors');

      await page.getByRole('checkbox', { name: 'Kent Probation Trust', exact: true }).check();
      await page.locator('#effectiveOn-day').fill('1');
      await page.locator('#effectiveOn-month').fill('6');
      await page.locator('#effectiveOn-year').fill('2014');
      await page.getByRole('radio', { name: 'Split', exact: true }).check();
      await page.getByRole('radio', { name: 'Yes, dissolved on the effective date' }).check();
      await page.locator('[data-qa="continue"]').click();
      await page.waitForURL(`${baseUrl}/admin/handovers/new/successors`);
      await expectHeading(page, 'Organisations taking over');
      await expectAccessible(page, 'admin-handover-successors');
      expect(await submitForErrors(page, '[data-qa="continue"]')).toContain('There is a problem');
      await expectAccessible(page, 'admin-handover-successors-errors');

      const nps = 'National Probation Service – South East and Eastern Division';
      const crc = 'Kent, Surrey and Sussex Community Rehabilitation Company';
      // Two successors, so that no recommendation is allocated until the admin chooses.
      await page.getByRole('checkbox', { name: nps, exact: true }).check();
      await page.getByRole('checkbox', { name: crc, exact: true }).check();
      await page.locator('[data-qa="continue"]').click();
      await page.waitForURL(`${baseUrl}/admin/handovers/new/allocations`);
      await expectHeading(page, 'Allocate open recommendations');
      await expectAccessible(page, 'admin-handover-allocations');
      expect(await submitForErrors(page, '[data-qa="continue"]')).toContain('There is a problem');
      await expectAccessible(page, 'admin-handover-allocations-errors');

      const allocations = page.locator('[data-qa="allocation"]');
      for (let i = 0; i < (await allocations.count()); i++) {
        await allocations.nth(i).getByRole('radio', { name: nps, exact: true }).check();
      }
      await page.locator('[data-qa="continue"]').click();
      await page.waitForURL(`${baseUrl}/admin/handovers/new/check`);
      await expectHeading(page, 'Check the hand-over');
      await page.locator('[data-qa="confirm"]').waitFor();
      await expectAccessible(page, 'admin-handover-check');

      await page.locator('[data-qa="cancel"]').click();
      await page.waitForURL(`${baseUrl}/admin/handovers`);
      await page.locator('[data-qa="flash"]', { hasText: 'nothing was changed' }).waitFor();
      const { rows } = await api.pool.query(`SELECT count(*)::int AS n FROM handovers`);
      expect(rows[0].n).toBe(0);
    });

    it('the notification log', async () => {
      await open(page, '/admin/notifications', 'Notification log');
      await expectAccessible(page, 'admin-notifications');
    });

    it('reminder settings: the defaults and one organisation’s', async () => {
      await open(page, '/admin/settings', 'Reminder settings');
      await expectAccessible(page, 'admin-settings');
      await page.getByLabel('Organisation', { exact: true }).selectOption({ label: 'Kent Probation Trust' });
      await page.locator('[data-qa="pick"]').click();
      await page.waitForURL(`${baseUrl}/admin/settings/organisations/${id.kent}`);
      await expectHeading(page, 'Kent Probation Trust');
      await expectAccessible(page, 'admin-settings-organisation');
    });

    it('the background jobs (bull-board, third-party: only its known upstream faults)', async () => {
      const response = await page.goto(`${baseUrl}/admin/queues`);
      expect(response?.status()).toBe(200);
      await page.waitForLoadState('networkidle');
      // bull-board 9.10's own UI has unlabelled icon buttons, an unlabelled logo SVG and two low-contrast badges
      // (README "Accessibility"); none of its markup is ours to fix. Anything else on the page still fails here.
      const known = ['button-name', 'color-contrast', 'svg-img-alt'];
      expect(await accessibilityViolations(page, { exceptRules: known })).toEqual([]);
      await screenshot(page, 'a11y-admin-queues');
    });
  });
});
