import { randomUUID } from 'node:crypto';
import { ApiHarness, startApi } from './api-harness';
import { removeWebKeys, WebClient } from './web-harness';

type World = Awaited<ReturnType<ApiHarness['factories']['world']>>;
type User = { id: string; email: string };

/** Admin: the notification log, its GET filter form and its pages. */
describe('web admin: notification log', () => {
  let api: ApiHarness;
  let admin: WebClient;
  let kent: World;
  let pm: User;
  const log: Record<string, string> = {};
  const occurrences = new Map<string, number>();

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-06' });
    kent = await api.factories.world({ dueDate: '2026-03-16' });
    pm = await api.factories.user({
      role: 'performance_manager',
      portfolio: [kent.organisation.id],
      name: 'Anne Overseer',
    });
    log.reminder = await notification('reminder/before', kent.manager, 'sent', '2026-03-02T07:00:01Z');
    log.failed = await notification('reminder/due', kent.manager, 'failed', '2026-03-03T07:00:01Z');
    log.escalation = await notification('escalation/escalation', pm, 'queued', '2026-03-04T07:00:01Z');
    log.skipped = await notification('assignment/assigned', kent.manager, 'skipped', '2026-03-05T07:00:00Z');
    admin = new WebClient(api);
    await admin.signIn(await api.factories.user({ role: 'admin' }));
  });
  afterAll(async () => {
    await removeWebKeys(api.config);
    await api.close();
  });

  /** A log entry as the worker records it: the email that carried it (status, attempts, error), then the entry. */
  async function notification(what: string, recipient: User, status: string, createdAt: string): Promise<string> {
    const [kind, reason] = what.split('/');
    // Repeats of the same reminder to the same person are later occurrences (the log's unique key).
    const occurrence = occurrences.get(`${what}:${recipient.id}`) ?? 0;
    occurrences.set(`${what}:${recipient.id}`, occurrence + 1);
    const failed = status === 'failed';
    const { rows: emails } = await api.pool.query(
      `INSERT INTO emails (email_key, recipient_id, recipient_email, deliver_on, item_action_ids, item_reasons,
         item_occurrences, item_due_dates, item_trigger_dates, status, attempts, last_error, message_id, created_at,
         sent_at)
       VALUES ($1, $2, $3, $4, ARRAY[$5::uuid], ARRAY[$6], ARRAY[$13::bigint], ARRAY['2026-03-16'::date], ARRAY[$4::date],
         $7, $8, $9, $10, $11, $12)
       RETURNING id`,
      [
        `test-${randomUUID()}~${recipient.id}`,
        recipient.id,
        recipient.email,
        createdAt.slice(0, 10),
        kent.action.id,
        reason,
        status === 'skipped' ? 'sent' : status,
        status === 'queued' ? 0 : failed ? 5 : 1,
        failed ? '550 5.1.1 <x@example.org>: mailbox unavailable' : null,
        status === 'sent' ? `<${randomUUID()}@recommendation-tracker>` : null,
        createdAt,
        status === 'sent' ? createdAt : null,
        occurrence,
      ],
    );
    const { rows } = await api.pool.query(
      `INSERT INTO notifications (email_id, kind, reason, occurrence, action_id, organisation_id, recipient_id,
         due_date, trigger_date, skip_reason, created_at)
       VALUES ($1, $2, $3, $10, $4, $5, $6, '2026-03-16', $7, $8, $9) RETURNING id`,
      [
        emails[0].id,
        kind,
        reason,
        kent.action.id,
        kent.organisation.id,
        recipient.id,
        createdAt.slice(0, 10),
        status === 'skipped' ? 'the action is completed' : null,
        createdAt,
        occurrence,
      ],
    );
    return rows[0].id;
  }

  const shown = (html: string) =>
    [...html.matchAll(/data-qa="notification-row" data-notification-id="([^"]+)"/g)].map(
      (m) => Object.keys(log).find((k) => log[k] === m[1]) ?? m[1],
    );
  const text = (html: string) =>
    html
      .replace(/<[^>]+>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();

  it('lists every notification, newest first, with kind, recipient, action, status, attempts, error and sent time', async () => {
    const res = await admin.get('/admin/notifications');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>Notification log - Recommendation Tracker</title>');
    expect(shown(res.text)).toEqual(['skipped', 'escalation', 'failed', 'reminder']);
    const row = (key: string) =>
      text(new RegExp(`data-notification-id="${log[key]}">([\\s\\S]*?)</tr>`).exec(res.text)![1]);
    const { rows } = await api.pool.query(`SELECT name FROM users WHERE id = $1`, [kent.manager.id]);
    expect(row('reminder')).toBe(
      `2 March 2026 at 07:00 Reminder Before the due date, due 16 March 2026 ${rows[0].name} ${kent.manager.email} ` +
        `View action due 16 March 2026 (reminder to ${rows[0].name}) Sent 1 2 March 2026 at 07:00`,
    );
    expect(row('escalation')).toContain('View action due 16 March 2026 (escalation to Anne Overseer)');
    // A screen reader reads the link's hidden words: never the action's id.
    const links = [...res.text.matchAll(/<a [^>]*data-qa="view-action">([\s\S]*?)<\/a>/g)].map((m) => m[1]);
    expect(links).toHaveLength(4);
    for (const link of links) expect(link).not.toContain(kent.action.id);
    expect(row('failed')).toContain('Failed 5 550 5.1.1 &lt;x@example.org&gt;: mailbox unavailable');
    expect(row('escalation')).toContain(`Escalation Well overdue, due 16 March 2026 Anne Overseer ${pm.email}`);
    expect(row('escalation')).toContain('Queued 0');
    expect(row('skipped')).toContain('Skipped the action is completed');
    expect(res.text).toContain(`href="/actions/${kent.action.id}"`);
  });

  it('filters by recipient, action, kind, status and dates with a GET form', async () => {
    expect(shown((await admin.get(`/admin/notifications?recipient=${pm.id}`)).text)).toEqual(['escalation']);
    expect(shown((await admin.get('/admin/notifications?kind=reminder')).text)).toEqual(['failed', 'reminder']);
    expect(shown((await admin.get('/admin/notifications?status=failed')).text)).toEqual(['failed']);
    expect(shown((await admin.get(`/admin/notifications?action=${kent.action.id.toUpperCase()}`)).text)).toHaveLength(
      4,
    );
    const days = await admin.get(
      '/admin/notifications?from-day=3&from-month=3&from-year=2026&to-day=4&to-month=3&to-year=2026',
    );
    expect(shown(days.text)).toEqual(['escalation', 'failed']);
    expect(days.text).toContain('name="from-day" type="text" value="3"');
    const nothing = await admin.get('/admin/notifications?kind=assignment&status=failed');
    expect(nothing.text).toContain('No notifications match your filters.');
    expect(nothing.text).toMatch(/<option value="assignment" selected>/);
  });

  it('refuses bad filters with the error summary (400)', async () => {
    const res = await admin.get('/admin/notifications?action=R1&kind=postcard&from-day=31&from-month=2&from-year=2026');
    expect(res.status).toBe(400);
    expect(res.text).toContain('<title>Error: Notification log - Recommendation Tracker</title>');
    expect(res.text).toContain('<a href="#action">Enter the action’s id as it appears in its web address');
    expect(res.text).toContain('<a href="#kind">Select a kind from the list</a>');
    expect(res.text).toContain('<a href="#from-day">From date must be a real date</a>');
    expect(res.text).toContain('value="R1"');
    expect(res.text).not.toContain('data-qa="notification-row"');
  });

  it('pages the log, keeping the filters', async () => {
    for (let i = 0; i < 25; i++) {
      await notification('reminder/overdue', pm, 'sent', `2026-03-01T08:${String(i).padStart(2, '0')}:00Z`);
    }
    const first = await admin.get(`/admin/notifications?recipient=${pm.id}`);
    expect(first.text.match(/data-qa="notification-row"/g)).toHaveLength(25);
    const next = /href="([^"]+)" rel="next"/.exec(first.text)![1].replace(/&amp;/g, '&');
    expect(next).toContain(`recipient=${pm.id}`);
    const second = await admin.get(next);
    expect(second.text.match(/data-qa="notification-row"/g)).toHaveLength(1);
    expect(second.text).toContain('rel="prev"');
  });
});
