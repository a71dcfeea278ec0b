import { Browser, Page } from 'playwright-core';
import { removeWebKeys } from '../../apps/api/test/web-harness';
import { startSystem, SystemHarness } from '../system/system-harness';
import { accessibilityViolations, launchChromium, screenshot } from './browser';
import {
  ADMIN,
  ADMIN_NAME,
  baseUrlOf,
  closeAll,
  DEMO_ENV,
  idOf,
  PERFORMANCE_MANAGER,
  PERFORMANCE_MANAGER_NAME,
  person,
  SENIOR_MANAGER,
  signIn,
  textOf,
} from './journeys';

const KENT = 'Kent Probation Trust';
const NPS = 'National Probation Service – South East and Eastern Division';
const CRC = 'Kent, Surrey and Sussex Community Rehabilitation Company';
// The demo story's Head of Public Protection has this one in progress at 60%.
const AUDIT = 'Introduce a monthly management audit of risk management plans in high risk cases';
// Another of her actions, with a progress update from May 2014 that must survive the hand-over.
const VICTIMS = 'Make sure risk management plans address specific and potential victims';

jest.setTimeout(180_000);

/**
 * The oversight side of the demo story, with the API and the worker in one process (startSystem): the worker relays
 * each change from the outbox and refreshes the roll-ups, as in production, so the dashboard moves on its own.
 */
describe('browser: oversight journeys', () => {
  let system: SystemHarness;
  let baseUrl: string;
  let browser: Browser;
  let closeBrowser: () => Promise<void>;
  const pages: Page[] = [];

  beforeAll(async () => {
    const [started, chromium] = await Promise.all([
      startSystem({ env: { ...DEMO_ENV, ROLLUP_DEBOUNCE_MS: '100' } }),
      launchChromium(),
    ]);
    system = started;
    baseUrl = baseUrlOf(system.api);
    browser = chromium.context.browser()!;
    closeBrowser = chromium.close;
    // The demo is written without events; start-up asks the worker for a reconciliation. Wait for it.
    await waitFor(
      async () =>
        (await system.api.pool.query(`SELECT count(*)::int AS n FROM rollup_refreshes WHERE kind = 'reconcile'`))
          .rows[0].n,
      (n) => n > 0,
    );
  });
  afterAll(async () => {
    await closeAll(pages);
    await closeBrowser?.();
    if (!system) return;
    await removeWebKeys(system.api.config);
    await system.close();
  });

  async function newPerson(): Promise<Page> {
    const page = await person(browser);
    pages.push(page);
    return page;
  }

  async function expectAccessible(page: Page, name: string): Promise<void> {
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, `oversight-${name}`);
  }

  async function waitFor<T>(read: () => Promise<T>, ok: (value: T) => boolean, ms = 15_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await read();
      if (ok(value)) return value;
      if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(value)} after ${ms} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  describe('a performance manager sees the dashboard move and verifies an action', () => {
    interface Figures {
      portfolioAwaiting: number;
      kentAwaiting: number;
      kentComplete: string;
    }

    /** What the dashboard shows: the portfolio's "awaiting verification", and Kent's row. */
    async function dashboardFigures(page: Page): Promise<Figures> {
      const summary = await textOf(page, '[data-qa="summary"]');
      const kent = page
        .locator('[data-qa="organisation-row"]')
        .filter({ has: page.locator('[data-qa="organisation"]', { hasText: new RegExp(`^\\s*${KENT}\\s*$`) }) });
      return {
        portfolioAwaiting: Number(/(\d+) awaiting verification/.exec(summary)![1]),
        kentAwaiting: Number((await kent.locator('[data-qa="awaiting-verification"]').textContent())!.trim()),
        kentComplete: (await kent.locator('[data-qa="percent-complete"]').textContent())!.trim(),
      };
    }

    /** Reloads the dashboard, as a person would, until its figures are as expected. */
    async function reloadUntil(page: Page, ok: (f: Figures) => boolean): Promise<Figures> {
      return waitFor(async () => {
        await page.reload();
        return dashboardFigures(page);
      }, ok);
    }

    let pm: Page;
    let manager: Page;
    let before: Figures;
    let actionUrl: string;

    it('the performance manager notes the figures on an accessible dashboard', async () => {
      pm = await newPerson();
      await signIn(pm, baseUrl, PERFORMANCE_MANAGER, '/dashboard');
      before = await dashboardFigures(pm);
      // The demo story: the information-sharing protocol (R2) is completed and awaits verification; two of eight
      // Kent actions are done (that one, and the verified training).
      expect(before).toEqual({ portfolioAwaiting: 1, kentAwaiting: 1, kentComplete: '25%' });
      await expectAccessible(pm, '01-dashboard');
    });

    it('in her own browser, the senior manager completes one of her actions', async () => {
      manager = await newPerson();
      await signIn(manager, baseUrl, SENIOR_MANAGER);
      await manager.getByRole('link', { name: AUDIT }).click();
      await manager.waitForURL(/\/actions\/[0-9a-f-]{36}$/);
      actionUrl = manager.url();
      await manager.locator('h1', { hasText: AUDIT }).waitFor();
      await manager.getByRole('radio', { name: 'Completed', exact: true }).check();
      await manager
        .getByLabel('Comment', { exact: true })
        .fill('June audit: 40 cases sampled, 37 plans sufficient; audit now monthly business as usual');
      await manager.locator('[data-qa="save-update"]').click();
      await manager.locator('[data-qa="flash"]', { hasText: 'Action updated' }).waitFor();
      expect(await textOf(manager, '[data-qa="details"]')).toContain('Status Completed');
      await expectAccessible(manager, '02-action-completed');
    });

    it('the performance manager reloads the dashboard and sees it awaiting verification', async () => {
      const after = await reloadUntil(pm, (f) => f.kentAwaiting === before.kentAwaiting + 1);
      expect(after).toEqual({
        portfolioAwaiting: before.portfolioAwaiting + 1,
        kentAwaiting: before.kentAwaiting + 1,
        kentComplete: '37%',
      });
      // It was the worker: a refresh of Kent's roll-ups from the outbox event, not a reconciliation.
      const { rows } = await system.api.pool.query(
        `SELECT count(*)::int AS n FROM rollup_refreshes r JOIN organisations o ON o.id = ANY(r.organisation_ids)
         WHERE r.kind = 'refresh' AND o.name = $1`,
        [KENT],
      );
      expect(rows[0].n).toBeGreaterThan(0);
      await expectAccessible(pm, '03-dashboard-awaiting');
    });

    it('verifies it from "Awaiting verification", sees the banner, and the history names them', async () => {
      await pm.locator('[data-qa="dashboard-navigation"]').getByRole('link', { name: 'Awaiting verification' }).click();
      await pm.waitForURL(`${baseUrl}/dashboard/verification`);
      expect(await textOf(pm, '[data-qa="count"]')).toBe(
        `${before.portfolioAwaiting + 1} completed actions in your portfolio are awaiting verification.`,
      );
      await expectAccessible(pm, '04-awaiting-verification');

      const card = pm.locator('[data-qa="verification-card"]', { hasText: AUDIT });
      await card.getByLabel('Comment').fill('Audit records for June seen at the quarterly review');
      await card.locator('[data-qa="verify"]').click();
      await pm.locator('[data-qa="flash"]', { hasText: 'Action verified' }).waitFor();
      expect(await pm.locator('[data-qa="verification-card"]', { hasText: AUDIT }).count()).toBe(0);
      expect(await textOf(pm, '[data-qa="count"]')).toBe(
        `${before.portfolioAwaiting} completed action in your portfolio is awaiting verification.`,
      );
      await expectAccessible(pm, '05-verified');

      await pm.goto(actionUrl);
      expect(await textOf(pm, '[data-qa="details"]')).toContain('Status Verified');
      const latest = pm.locator('[data-qa="history"] .moj-timeline__item').first();
      const entry = ((await latest.textContent()) ?? '').replace(/\s+/g, ' ');
      expect(entry).toContain(`Progress updated by ${PERFORMANCE_MANAGER_NAME}`);
      expect(entry).toContain('Status: Completed to Verified');
      expect(entry).toContain('Audit records for June seen at the quarterly review');
      // Her completion is still there, below it.
      expect(await textOf(pm, '[data-qa="history"]')).toContain('June audit: 40 cases sampled');
      await expectAccessible(pm, '06-action-verified');
    });

    it('the dashboard figure goes back; percent complete stays', async () => {
      await pm.goto(`${baseUrl}/dashboard`);
      const after = await reloadUntil(pm, (f) => f.kentAwaiting === before.kentAwaiting);
      expect(after).toEqual({ ...before, kentComplete: '37%' });
      await expectAccessible(pm, '07-dashboard-after');
    });
  });

  describe('an admin hands Kent Probation Trust’s work over, June 2014', () => {
    let admin: Page;
    let kentId: string;

    beforeAll(async () => {
      kentId = await idOf(system.api, `SELECT id FROM organisations WHERE name = $1`, [KENT]);
      admin = await newPerson();
      await signIn(admin, baseUrl, ADMIN, '/admin');
    });

    it('sees in the notification log the reminders the worker sent', async () => {
      // Kent's open actions have been overdue since 2014 and their owners hear of them every 7 days: one of any 7
      // consecutive working days' runs reminds someone. Run the days after the system's today until an email goes.
      for (let day = 3; day < 17 && system.smtp.received.length === 0; day++) {
        await system.runReminders(`2026-03-${String(day).padStart(2, '0')}T07:00:00Z`);
      }
      expect(system.smtp.received.length).toBeGreaterThan(0);
      await admin.goto(`${baseUrl}/admin/notifications`);
      const sent = admin.locator('[data-qa="notification-row"] .govuk-tag', { hasText: 'Sent' });
      expect(await sent.count()).toBeGreaterThan(0);
      await expectAccessible(admin, '09-notification-log');
    });

    it('runs the wizard: Kent, 1 June 2014, split, to the NPS division and the CRC', async () => {
      // The demo leaves the split for you to perform: Kent is still active, owns all five recommendations, and
      // there has been no hand-over.
      const count = async (sql: string, params: unknown[] = []) =>
        (await system.api.pool.query(sql, params)).rows[0].n as number;
      const kentOwns = () =>
        count(`SELECT count(*)::int AS n FROM recommendations WHERE owner_organisation_id = $1`, [kentId]);
      expect(
        await count(`SELECT count(*)::int AS n FROM organisations WHERE id = $1 AND status = 'active'`, [kentId]),
      ).toBe(1);
      expect(await kentOwns()).toBe(5);
      expect(await count(`SELECT count(*)::int AS n FROM handovers`)).toBe(0);

      await admin.goto(`${baseUrl}/admin`);
      await admin.getByRole('link', { name: 'Hand-overs' }).click();
      await admin.waitForURL(`${baseUrl}/admin/handovers`);
      await expectAccessible(admin, '10-handovers');
      await admin.locator('[data-qa="start-handover"]').click();
      await admin.waitForURL(`${baseUrl}/admin/handovers/new`);
      await expectAccessible(admin, '11-wizard-start');

      await admin.getByRole('checkbox', { name: KENT, exact: true }).check();
      await admin.locator('#effectiveOn-day').fill('1');
      await admin.locator('#effectiveOn-month').fill('6');
      await admin.locator('#effectiveOn-year').fill('2014');
      await admin.getByRole('radio', { name: 'Split', exact: true }).check();
      await admin.getByRole('radio', { name: 'Yes, dissolved on the effective date' }).check();
      await admin.locator('[data-qa="continue"]').click();
      await admin.waitForURL(`${baseUrl}/admin/handovers/new/successors`);
      expect(await admin.locator('body').textContent()).toContain(`Handing over: ${KENT}.`);
      await expectAccessible(admin, '12-wizard-successors');

      await admin.getByRole('checkbox', { name: NPS, exact: true }).check();
      await admin.getByRole('checkbox', { name: CRC, exact: true }).check();
      await admin.locator('[data-qa="continue"]').click();
      await admin.waitForURL(`${baseUrl}/admin/handovers/new/allocations`);
      await expectAccessible(admin, '13-wizard-allocations');

      // Public protection (risk of harm, children) to the NPS division; the rest of the work to the CRC.
      const allocations = admin.locator('[data-qa="allocation"]');
      expect(await allocations.count()).toBe(5);
      const toNps = ['R1', 'R2', 'R4'];
      for (let i = 0; i < 5; i++) {
        const group = allocations.nth(i);
        const reference = /^\s*(R\d):/.exec((await group.locator('legend').textContent())!)![1];
        await group.getByRole('radio', { name: toNps.includes(reference) ? NPS : CRC, exact: true }).check();
      }
      await admin.locator('[data-qa="continue"]').click();
      await admin.waitForURL(`${baseUrl}/admin/handovers/new/check`);

      const answers = await textOf(admin, '[data-qa="answers"]');
      expect(answers).toContain(`Handing over ${KENT}`);
      expect(answers).toContain('Effective date 1 June 2014');
      expect(answers).toContain('Dissolved Yes, on 1 June 2014');
      expect(answers).toContain(`${NPS}: 3 recommendations (R1, R2, R4)`);
      expect(answers).toContain(`${CRC}: 2 recommendations (R3, R5)`);
      // The dry run: every action goes with its recommendation; the owners (Kent's staff) are unassigned from the
      // open and completed ones, while the verified training keeps its owner as the record of who did it.
      expect(await textOf(admin, '[data-qa="moving-recommendations"]')).toBe('5');
      expect(await textOf(admin, '[data-qa="moving-actions"]')).toBe('8');
      const unassigned = Number(await textOf(admin, '[data-qa="unassigned-count"]'));
      expect(unassigned).toBeGreaterThan(0);
      expect(await textOf(admin, '[data-qa="unassigned"]')).toContain(VICTIMS);
      expect(await textOf(admin, '[data-qa="staying-count"]')).toBe('0');
      // Nothing has moved yet.
      expect(await kentOwns()).toBe(5);
      await expectAccessible(admin, '14-wizard-check');

      await admin.locator('[data-qa="confirm"]').click();
      await admin.waitForURL(/\/admin\/handovers\/[0-9a-f-]{36}\/confirmation$/);
      expect(await textOf(admin, '[data-qa="confirmation"]')).toBe(
        'Hand-over complete 5 recommendations and 8 actions moved',
      );
      expect(await admin.locator('[data-qa="move"]').count()).toBe(5);
      expect(await admin.locator('[data-qa="unassigned"] tbody tr').count()).toBe(unassigned);
      await expectAccessible(admin, '15-handover-complete');
    });

    it('the moved recommendations show their new owner; an action keeps its history from before', async () => {
      const owner = async (reference: string) => {
        const move = admin.locator('[data-qa="move"]', {
          has: admin.getByRole('link', { name: reference, exact: true }),
        });
        const id = await move.getAttribute('data-recommendation-id');
        await admin.goto(`${baseUrl}/recommendations/${id}`);
        const details = await textOf(admin, '[data-qa="details"]');
        return /Owning organisation (.+?) Target date/.exec(details)![1];
      };
      const confirmation = admin.url();
      expect(await owner('R1')).toBe(NPS);
      await expectAccessible(admin, '16-recommendation-moved');
      await admin.goto(confirmation);
      expect(await owner('R3')).toBe(CRC);
      await admin.goto(confirmation);

      await admin.locator('[data-qa="unassigned"]').getByRole('link', { name: VICTIMS }).click();
      await admin.waitForURL(/\/actions\/[0-9a-f-]{36}$/);
      expect(await textOf(admin, '[data-qa="details"]')).toContain('Owner Not assigned');
      const items = admin.locator('[data-qa="history"] .moj-timeline__item');
      const latest = ((await items.first().textContent()) ?? '').replace(/\s+/g, ' ');
      expect(latest).toContain(`Handed over by ${ADMIN_NAME}`);
      expect(latest).toContain(`Handed over from ${KENT} to ${NPS} (split, effective 2014-06-01)`);
      const history = await textOf(admin, '[data-qa="history"]');
      expect(history).toContain('Victim section added to the plan template; guidance being drafted.');
      expect(history.indexOf('Handed over')).toBeLessThan(history.indexOf('Victim section added'));
      await expectAccessible(admin, '17-action-history');

      const kent = (
        await system.api.pool.query(`SELECT status, dissolved_on::text FROM organisations WHERE id = $1`, [kentId])
      ).rows[0];
      expect(kent).toEqual({ status: 'dissolved', dissolved_on: '2014-06-01' });
    });

    it('the hand-over has its own page in the list', async () => {
      await admin.goto(`${baseUrl}/admin/handovers`);
      await admin.locator('[data-handover-id] a').first().click();
      await admin.waitForURL(/\/admin\/handovers\/[0-9a-f-]{36}$/);
      expect(await textOf(admin, 'h1')).toBe(`${KENT} on 1 June 2014`);
      await expectAccessible(admin, '18-handover');
    });
  });
});
