import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Response } from 'supertest';
import { QueueName, redisOptions } from '@rt/jobs';
import { ApiHarness, startApi } from './api-harness';

type User = { id: string; email: string };
type World = Awaited<ReturnType<ApiHarness['factories']['world']>>;

/**
 * The reminder API: the notification log (who may read which entries, filters, pages), the reminder settings
 * (defaults and per organisation), users' accountableLead and reminderDelivery, and running the reminders now.
 */
describe('reminders API', () => {
  let api: ApiHarness;
  let admin: User;
  let kent: World;
  let surrey: World;
  let kentSecondAction: { id: string };
  /** Oversees Kent only. */
  let pm: User;
  /** Oversees Kent and Surrey. */
  let pmBoth: User;
  const log: Record<string, string> = {};

  beforeAll(async () => {
    api = await startApi({ today: '2026-03-02' });
    admin = await api.factories.user({ role: 'admin' });
    kent = await api.factories.world({ dueDate: '2026-03-16' });
    surrey = await api.factories.world({ dueDate: '2026-03-16' });
    kentSecondAction = await api.factories.action({
      recommendationId: kent.recommendation.id,
      ownerId: kent.manager.id,
      dueDate: '2026-04-30',
    });
    pm = await api.factories.user({ role: 'performance_manager', portfolio: [kent.organisation.id] });
    pmBoth = await api.factories.user({
      role: 'performance_manager',
      portfolio: [kent.organisation.id, surrey.organisation.id],
    });

    const k = { actionId: kent.action.id, organisationId: kent.organisation.id };
    const k2 = { actionId: kentSecondAction.id, organisationId: kent.organisation.id };
    const s = { actionId: surrey.action.id, organisationId: surrey.organisation.id };
    log.k1 = await notification(k, 'reminder/before', kent.manager, 'sent', '2026-03-02T07:00:01Z');
    log.k2 = await notification(k, 'reminder/due', kent.manager, 'failed', '2026-03-03T07:00:01Z');
    log.k3 = await notification(k, 'escalation/escalation', pm, 'queued', '2026-03-04T07:00:01Z');
    log.k4 = await notification(k, 'escalation/escalation', pmBoth, 'sent', '2026-03-04T07:00:01Z');
    log.k5 = await notification(k2, 'assignment/assigned', kent.manager, 'skipped', '2026-03-05T07:00:00Z');
    log.s1 = await notification(s, 'reminder/before', surrey.manager, 'sent', '2026-03-02T07:00:01Z');
    log.s2 = await notification(s, 'escalation/escalation', pmBoth, 'queued', '2026-03-04T07:00:01Z');
  });
  afterAll(async () => {
    // The run requests below left jobs under this API's prefix (no worker takes them here).
    const connection = redisOptions(api.config.redisUrl);
    for (const name of Object.values(QueueName)) {
      const queue = new Queue(name, { connection, prefix: api.config.queuePrefix });
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await api.close();
  });

  const occurrences = new Map<string, number>();

  /** A log entry written straight to the table: `what` is kind/reason; the others as the worker would record them. */
  async function notification(
    about: { actionId: string; organisationId: string },
    what: string,
    recipient: User,
    status: string,
    createdAt: string,
  ): Promise<string> {
    const [kind, reason] = what.split('/');
    const { actionId, organisationId } = about;
    const failed = status === 'failed';
    // Repeats of the same reminder to the same person are later occurrences (the log's unique key).
    const same = `${actionId}:${what}:${recipient.id}`;
    const occurrence = occurrences.get(same) ?? 0;
    occurrences.set(same, occurrence + 1);
    // The email that carried it (status, attempts, error and message id live there), then the entry itself.
    const { rows: emails } = await api.pool.query(
      `INSERT INTO emails (email_key, recipient_id, recipient_email, deliver_on, item_action_ids, item_reasons,
         item_occurrences, item_due_dates, item_trigger_dates, status, attempts, last_error, message_id, created_at,
         sent_at)
       VALUES ($1, $2, $3, $4, ARRAY[$5::uuid], ARRAY[$6], ARRAY[$7::bigint], ARRAY['2026-03-16'::date], ARRAY[$4::date],
         $8, $9, $10, $11, $12, $13)
       RETURNING id`,
      [
        `test-${randomUUID()}~${recipient.id}`,
        recipient.id,
        recipient.email,
        createdAt.slice(0, 10),
        actionId,
        reason,
        occurrence,
        status === 'skipped' ? 'sent' : status,
        status === 'queued' ? 0 : 1,
        failed ? '550 5.1.1 <x@example.org>: mailbox unavailable' : null,
        status === 'sent' ? `<${randomUUID()}@recommendation-tracker>` : null,
        createdAt,
        status === 'sent' ? createdAt : null,
      ],
    );
    const { rows } = await api.pool.query(
      `INSERT INTO notifications (email_id, kind, reason, occurrence, action_id, organisation_id, recipient_id,
         due_date, trigger_date, skip_reason, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, '2026-03-16', $8, $9, $10)
       RETURNING id`,
      [
        emails[0].id,
        kind,
        reason,
        occurrence,
        actionId,
        organisationId,
        recipient.id,
        createdAt.slice(0, 10),
        status === 'skipped' ? 'the action is completed' : null,
        createdAt,
      ],
    );
    return rows[0].id;
  }

  const as = async (user: { email: string }) => ({ Authorization: `Bearer ${await api.tokenFor(user)}` });
  const names = (ids: string[]) => ids.map((id) => Object.keys(log).find((k) => log[k] === id) ?? id);

  /** The log entries a user sees for a query, by their names here (k1…s2), walking every page. */
  async function seen(user: User, query = '', limit = 200): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res: Response = await api
        .http()
        .get(`/api/v1/notifications?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`)
        .set(await as(user))
        .expect(200);
      ids.push(...res.body.items.map((n: { id: string }) => n.id));
      cursor = res.body.nextCursor;
    } while (cursor);
    return names(ids);
  }

  const fields = (res: Response) => (res.body.errors ?? []).map((e: { field: string }) => e.field);

  /** Every log entry's name, in the log's order: newest first, ties by id. */
  async function inLogOrder(): Promise<string[]> {
    const { rows } = await api.pool.query(`SELECT id FROM notifications ORDER BY created_at DESC, id DESC`);
    return names(rows.map((r: { id: string }) => r.id));
  }

  describe('GET /api/v1/notifications', () => {
    it('shows an admin every entry, newest first, with what happened to it', async () => {
      const order = await inLogOrder();
      expect([...order].sort()).toEqual(['k1', 'k2', 'k3', 'k4', 'k5', 's1', 's2']);
      expect(order[0]).toBe('k5');
      expect(await seen(admin)).toEqual(order);

      const res = await api
        .http()
        .get(`/api/v1/notifications?status=failed`)
        .set(await as(admin))
        .expect(200);
      expect(res.body).toEqual({
        items: [
          {
            id: log.k2,
            key: expect.stringContaining(`reminder:${kent.action.id}:due-0:2026-03-16:${kent.manager.id}`),
            kind: 'reminder',
            reason: 'due',
            occurrence: 0,
            actionId: kent.action.id,
            organisationId: kent.organisation.id,
            recipientId: kent.manager.id,
            recipientEmail: kent.manager.email,
            dueDate: '2026-03-16',
            triggerDate: '2026-03-03',
            deliverOn: '2026-03-03',
            status: 'failed',
            skipReason: null,
            attempts: 1,
            lastError: '550 5.1.1 <x@example.org>: mailbox unavailable',
            messageId: null,
            createdAt: '2026-03-03T07:00:01.000Z',
            sentAt: null,
          },
        ],
        nextCursor: null,
      });
    });

    it("shows a performance manager only their portfolio's entries (none with an empty portfolio)", async () => {
      expect(await seen(pm)).toEqual((await inLogOrder()).filter((n) => n.startsWith('k')));
      expect(await seen(pmBoth)).toEqual(await inLogOrder());
      const nobody = await api.factories.user({ role: 'performance_manager' });
      expect(await seen(nobody)).toEqual([]);
    });

    it("never shows another organisation's entries, whatever the filter names", async () => {
      expect(await seen(pm, `&recipientId=${surrey.manager.id}`)).toEqual([]);
      expect(await seen(pm, `&actionId=${surrey.action.id}`)).toEqual([]);
      // Escalations to a manager who oversees both: only Kent's show to Kent's performance manager.
      expect(await seen(pm, `&recipientId=${pmBoth.id}`)).toEqual(['k4']);
      expect(await seen(pm, `&kind=escalation&status=queued`)).toEqual(['k3']);
    });

    it('is refused to senior managers and viewers (403), and to strangers (401)', async () => {
      for (const user of [kent.manager, kent.viewer]) {
        const res = await api
          .http()
          .get('/api/v1/notifications')
          .set(await as(user))
          .expect(403);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
      await api.http().get('/api/v1/notifications').expect(401);
    });

    it.each([
      ['recipientId', '&recipientId=:kentManager', ['k1', 'k2', 'k5']],
      ['actionId', '&actionId=:kentSecondAction', ['k5']],
      ['kind', '&kind=escalation', ['k3', 'k4', 's2']],
      ['status', '&status=sent', ['k1', 'k4', 's1']],
      ['kind and status', '&kind=reminder&status=sent', ['k1', 's1']],
      ['from (at or after)', '&from=2026-03-04T07:00:01Z', ['k3', 'k4', 'k5', 's2']],
      ['to (before)', '&to=2026-03-04T07:00:01Z', ['k1', 'k2', 's1']],
      ['from and to', '&from=2026-03-03T00:00:00Z&to=2026-03-05T00:00:00Z', ['k2', 'k3', 'k4', 's2']],
      ['an offset time', '&from=2026-03-04T08:00:00%2B01:00', ['k3', 'k4', 'k5', 's2']],
    ])('filters by %s', async (_, template, expected) => {
      const query = template.replace(':kentManager', kent.manager.id).replace(':kentSecondAction', kentSecondAction.id);
      const got = await seen(admin, query);
      expect([...got].sort()).toEqual(expected);
      expect(got).toEqual((await inLogOrder()).filter((n) => expected.includes(n)));
    });

    it('pages through the log with a cursor: every entry once, in order, ties included', async () => {
      const pages: string[][] = [];
      let cursor: string | null = null;
      do {
        const res: Response = await api
          .http()
          .get(`/api/v1/notifications?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
          .set(await as(admin))
          .expect(200);
        pages.push(names(res.body.items.map((n: { id: string }) => n.id)));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 1]);
      expect(pages.flat()).toEqual(await inLogOrder());
      // Filters hold across pages.
      expect(await seen(pm, '', 1)).toEqual((await inLogOrder()).filter((n) => n.startsWith('k')));
    });

    it.each([
      ['recipientId', 'recipientId=kent-manager'],
      ['actionId', 'actionId=123'],
      ['kind', 'kind=email'],
      ['status', 'status=delivered'],
      ['from', 'from=yesterday'],
      ['to', 'to=2026-02-30T00:00:00Z'],
      ['limit', 'limit=0'],
      ['limit', 'limit=201'],
      ['cursor', 'cursor=bm90LWEtY3Vyc29y'],
      ['colour', 'colour=red'],
    ])('answers 400 naming %s for a bad filter (%s)', async (field, query) => {
      const res = await api
        .http()
        .get(`/api/v1/notifications?${query}`)
        .set(await as(admin))
        .expect(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(fields(res)).toContain(field);
    });
  });

  describe('reminder settings', () => {
    const DEFAULTS = {
      offsetsDays: [14, 3],
      overdueRepeatDays: 7,
      escalationAfterDays: 14,
      escalationRepeatDays: 14,
      sendTime: '07:00',
    };
    const NO_OVERRIDES = {
      offsetsDays: null,
      overdueRepeatDays: null,
      escalationAfterDays: null,
      escalationRepeatDays: null,
      sendTime: null,
    };
    let other: { id: string };

    beforeAll(async () => {
      other = await api.factories.organisation();
    });

    const patchDefaults = async (body: object, ifMatch?: string) => {
      const req = api
        .http()
        .patch('/api/v1/reminder-settings')
        .set(await as(admin));
      return (ifMatch === undefined ? req : req.set('If-Match', ifMatch)).send(body);
    };
    const patchOrganisation = async (id: string, body: object, ifMatch?: string, user: User = admin) => {
      const req = api
        .http()
        .patch(`/api/v1/organisations/${id}/reminder-settings`)
        .set(await as(user));
      return (ifMatch === undefined ? req : req.set('If-Match', ifMatch)).send(body);
    };

    it('reads the defaults with an ETag (admins and performance managers); 403 for the others', async () => {
      for (const user of [admin, pm]) {
        const res = await api
          .http()
          .get('/api/v1/reminder-settings')
          .set(await as(user))
          .expect(200);
        expect(res.body).toEqual({ ...DEFAULTS, updatedAt: expect.any(String), version: 1 });
        expect(res.headers.etag).toBe('"1"');
      }
      for (const user of [kent.manager, kent.viewer]) {
        await api
          .http()
          .get('/api/v1/reminder-settings')
          .set(await as(user))
          .expect(403);
      }
    });

    it('changes the defaults only with the ETag last read (428 without, 412 when stale), and only for admins', async () => {
      expect((await patchDefaults({ overdueRepeatDays: 5 })).status).toBe(428);
      expect((await patchDefaults({ overdueRepeatDays: 5 }, '"0"')).status).toBe(412);
      const pmTry = await api
        .http()
        .patch('/api/v1/reminder-settings')
        .set(await as(pm))
        .set('If-Match', '"1"')
        .send({ overdueRepeatDays: 5 });
      expect(pmTry.status).toBe(403);

      const res = await patchDefaults({ overdueRepeatDays: 5, offsetsDays: [3, 14, 3] }, '"1"');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ...DEFAULTS, overdueRepeatDays: 5, offsetsDays: [14, 3], version: 2 });
      expect(res.headers.etag).toBe('"2"');
      expect((await patchDefaults({ overdueRepeatDays: 6 }, '"1"')).status).toBe(412);

      const back = await patchDefaults({ overdueRepeatDays: 7 }, '"2"');
      expect(back.body).toMatchObject({ ...DEFAULTS, version: 3 });
    });

    it.each([
      ['offsetsDays', { offsetsDays: [0] }],
      ['offsetsDays', { offsetsDays: [91] }],
      ['offsetsDays', { offsetsDays: [] }],
      ['offsetsDays', { offsetsDays: 14 }],
      ['overdueRepeatDays', { overdueRepeatDays: 0 }],
      ['escalationAfterDays', { escalationAfterDays: 366 }],
      ['escalationRepeatDays', { escalationRepeatDays: 1.5 }],
      ['sendTime', { sendTime: '25:00' }],
      ['sendTime', { sendTime: '7:00' }],
      ['sendTime', { sendTime: null }],
      ['colour', { colour: 'red' }],
    ])('refuses bad defaults with 400 naming %s (%j)', async (field, body) => {
      const current = await api
        .http()
        .get('/api/v1/reminder-settings')
        .set(await as(admin));
      const res = await patchDefaults(body, current.headers.etag);
      expect(res.status).toBe(400);
      expect(fields(res)).toContain(field);
      const after = await api
        .http()
        .get('/api/v1/reminder-settings')
        .set(await as(admin));
      expect(after.body).toEqual(current.body);
    });

    it("reads an organisation's settings: no overrides yet (version 0), effective values the defaults", async () => {
      const res = await api
        .http()
        .get(`/api/v1/organisations/${kent.organisation.id}/reminder-settings`)
        .set(await as(admin))
        .expect(200);
      expect(res.body).toEqual({
        organisationId: kent.organisation.id,
        overrides: NO_OVERRIDES,
        effective: DEFAULTS,
        updatedAt: null,
        version: 0,
      });
      expect(res.headers.etag).toBe('"0"');
    });

    it("sets an organisation's own values, merged over the defaults; null clears one", async () => {
      const id = other.id;
      expect((await patchOrganisation(id, { sendTime: '06:30' })).status).toBe(428);
      expect((await patchOrganisation(id, { sendTime: '06:30' }, '"1"')).status).toBe(412);

      const set = await patchOrganisation(id, { offsetsDays: [7, 30, 7], sendTime: '06:30' }, '"0"');
      expect(set.status).toBe(200);
      expect(set.headers.etag).toBe('"1"');
      expect(set.body).toEqual({
        organisationId: id,
        overrides: { ...NO_OVERRIDES, offsetsDays: [30, 7], sendTime: '06:30' },
        effective: { ...DEFAULTS, offsetsDays: [30, 7], sendTime: '06:30' },
        updatedAt: expect.any(String),
        version: 1,
      });

      const cleared = await patchOrganisation(id, { sendTime: null, escalationAfterDays: 21 }, '"1"');
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({
        overrides: { ...NO_OVERRIDES, offsetsDays: [30, 7], escalationAfterDays: 21 },
        effective: { ...DEFAULTS, offsetsDays: [30, 7], escalationAfterDays: 21 },
        version: 2,
      });
      expect((await patchOrganisation(id, { sendTime: '08:00' }, '"1"')).status).toBe(412);

      // A later change of a default shows through where the organisation has no value of its own.
      const defaults = await api
        .http()
        .get('/api/v1/reminder-settings')
        .set(await as(admin));
      await patchDefaults({ sendTime: '07:30', offsetsDays: [10] }, defaults.headers.etag);
      try {
        const read = await api
          .http()
          .get(`/api/v1/organisations/${id}/reminder-settings`)
          .set(await as(admin));
        expect(read.body.effective).toEqual({
          ...DEFAULTS,
          sendTime: '07:30',
          offsetsDays: [30, 7],
          escalationAfterDays: 21,
        });
      } finally {
        const now = await api
          .http()
          .get('/api/v1/reminder-settings')
          .set(await as(admin));
        await patchDefaults({ sendTime: '07:00', offsetsDays: [14, 3] }, now.headers.etag);
      }

      const all = await patchOrganisation(id, { ...NO_OVERRIDES }, '"2"');
      expect(all.body).toMatchObject({ overrides: NO_OVERRIDES, effective: DEFAULTS, version: 3 });
    });

    it.each([
      ['offsetsDays', { offsetsDays: [91] }],
      ['offsetsDays', { offsetsDays: [3, 'x'] }],
      ['overdueRepeatDays', { overdueRepeatDays: 91 }],
      ['sendTime', { sendTime: '25:00' }],
      ['sendTime', { sendTime: '07:00:30' }],
    ])('refuses bad organisation settings with 400 naming %s (%j)', async (field, body) => {
      const res = await patchOrganisation(kent.organisation.id, body, '"0"');
      expect(res.status).toBe(400);
      expect(fields(res)).toContain(field);
    });

    it("lets a performance manager read, not change, their portfolio's settings; 404 outside it", async () => {
      await api
        .http()
        .get(`/api/v1/organisations/${kent.organisation.id}/reminder-settings`)
        .set(await as(pm))
        .expect(200);
      const outside = await api
        .http()
        .get(`/api/v1/organisations/${surrey.organisation.id}/reminder-settings`)
        .set(await as(pm));
      expect(outside.status).toBe(404);
      const write = await patchOrganisation(kent.organisation.id, { sendTime: '06:00' }, '"0"', pm);
      expect(write.status).toBe(403);
    });

    it('is refused to senior managers and viewers (403); an unknown organisation is 404', async () => {
      for (const user of [kent.manager, kent.viewer]) {
        await api
          .http()
          .get(`/api/v1/organisations/${kent.organisation.id}/reminder-settings`)
          .set(await as(user))
          .expect(403);
        expect((await patchOrganisation(kent.organisation.id, { sendTime: '06:00' }, '"0"', user)).status).toBe(403);
      }
      await api
        .http()
        .get(`/api/v1/organisations/${randomUUID()}/reminder-settings`)
        .set(await as(admin))
        .expect(404);
      expect((await patchOrganisation(randomUUID(), { sendTime: '06:00' }, '"0"')).status).toBe(404);
    });
  });

  describe("users' accountableLead and reminderDelivery", () => {
    const newUser = (overrides: Record<string, unknown> = {}) => ({
      email: `person.${randomUUID().slice(0, 8)}@example.org`,
      name: 'Head of Public Protection',
      role: 'senior_manager',
      organisationId: kent.organisation.id,
      password: 'a long enough password',
      ...overrides,
    });
    const create = async (body: object) =>
      api
        .http()
        .post('/api/v1/users')
        .set(await as(admin))
        .send(body);
    const patch = async (id: string, version: number, body: object) =>
      api
        .http()
        .patch(`/api/v1/users/${id}`)
        .set(await as(admin))
        .set('If-Match', `"${version}"`)
        .send(body);

    it('creates a senior manager who is the accountable lead and reads reminders weekly', async () => {
      const res = await create(newUser({ accountableLead: true, reminderDelivery: 'weekly' }));
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ accountableLead: true, reminderDelivery: 'weekly' });
      const plain = await create(newUser());
      expect(plain.body).toMatchObject({ accountableLead: false, reminderDelivery: 'immediate' });
    });

    it.each(['viewer', 'performance_manager', 'admin'])(
      'refuses to make a %s an accountable lead (422, accountable-lead-is-senior-manager)',
      async (role) => {
        const res = await create(
          newUser({ role, organisationId: role === 'viewer' ? kent.organisation.id : null, accountableLead: true }),
        );
        expect(res.status).toBe(422);
        expect(res.body.rule).toBe('accountable-lead-is-senior-manager');
        expect(fields(res)).toEqual(['accountableLead']);
      },
    );

    it('refuses an unknown reminderDelivery or a non-boolean accountableLead with 400 naming the field', async () => {
      const delivery = await create(newUser({ reminderDelivery: 'daily' }));
      expect(delivery.status).toBe(400);
      expect(fields(delivery)).toContain('reminderDelivery');
      const lead = await create(newUser({ accountableLead: 'yes' }));
      expect(lead.status).toBe(400);
      expect(fields(lead)).toContain('accountableLead');
    });

    it('sets and clears them by PATCH; a role change away from senior manager ends the lead', async () => {
      const created = await create(newUser());
      const lead = await patch(created.body.id, created.body.version, {
        accountableLead: true,
        reminderDelivery: 'weekly',
      });
      expect(lead.status).toBe(200);
      expect(lead.body).toMatchObject({ accountableLead: true, reminderDelivery: 'weekly' });

      const renamed = await patch(created.body.id, lead.body.version, { name: 'Director of Operations' });
      expect(renamed.body).toMatchObject({ accountableLead: true, reminderDelivery: 'weekly' });

      const refused = await patch(created.body.id, renamed.body.version, { role: 'viewer', accountableLead: true });
      expect(refused.status).toBe(422);
      expect(refused.body.rule).toBe('accountable-lead-is-senior-manager');

      const viewer = await patch(created.body.id, renamed.body.version, { role: 'viewer' });
      expect(viewer.status).toBe(200);
      expect(viewer.body).toMatchObject({ role: 'viewer', accountableLead: false, reminderDelivery: 'weekly' });
      const { rows } = await api.pool.query(`SELECT accountable_lead FROM users WHERE id = $1`, [created.body.id]);
      expect(rows[0].accountable_lead).toBe(false);

      const again = await patch(created.body.id, viewer.body.version, { role: 'senior_manager' });
      expect(again.body).toMatchObject({ role: 'senior_manager', accountableLead: false });
    });
  });

  describe('PATCH /api/v1/me', () => {
    it("changes the signed-in user's own reminderDelivery, with If-Match", async () => {
      const viewer = await api.factories.user({ role: 'viewer', organisationId: kent.organisation.id });
      const me = await api
        .http()
        .get('/api/v1/me')
        .set(await as(viewer))
        .expect(200);
      expect(me.body.reminderDelivery).toBe('immediate');

      const patchMe = async (body: object, ifMatch?: string) => {
        const req = api
          .http()
          .patch('/api/v1/me')
          .set(await as(viewer));
        return (ifMatch === undefined ? req : req.set('If-Match', ifMatch)).send(body);
      };
      expect((await patchMe({ reminderDelivery: 'weekly' })).status).toBe(428);
      expect((await patchMe({ reminderDelivery: 'weekly' }, `"${me.body.version + 1}"`)).status).toBe(412);
      const bad = await patchMe({ reminderDelivery: 'daily' }, me.headers.etag);
      expect(bad.status).toBe(400);
      expect(fields(bad)).toContain('reminderDelivery');
      // Only preferences: nothing else about oneself can be changed here.
      for (const body of [{ role: 'admin' }, { accountableLead: true }]) {
        const refused = await patchMe(body, me.headers.etag);
        expect(refused.status).toBe(400);
        expect(fields(refused)).toContain(Object.keys(body)[0]);
      }

      const weekly = await patchMe({ reminderDelivery: 'weekly' }, me.headers.etag);
      expect(weekly.status).toBe(200);
      expect(weekly.body).toMatchObject({ id: viewer.id, role: 'viewer', reminderDelivery: 'weekly' });
      expect(weekly.headers.etag).toBe(`"${me.body.version + 1}"`);
      expect((await patchMe({ reminderDelivery: 'immediate' }, me.headers.etag)).status).toBe(412);
      const { rows } = await api.pool.query(`SELECT reminder_delivery, role FROM users WHERE id = $1`, [viewer.id]);
      expect(rows[0]).toEqual({ reminder_delivery: 'weekly', role: 'viewer' });
    });

    it('needs a signed-in user (401)', async () => {
      await api.http().patch('/api/v1/me').set('If-Match', '"1"').send({ reminderDelivery: 'weekly' }).expect(401);
    });
  });

  describe('POST /api/v1/jobs/reminders/run', () => {
    it("accepts an admin's run (202 {jobId}) and reports its state", async () => {
      const res = await api
        .http()
        .post('/api/v1/jobs/reminders/run')
        .set(await as(admin))
        .send({ asOf: '2026-03-02T07:00:00Z' })
        .expect(202);
      expect(res.body).toEqual({ jobId: expect.stringMatching(/^reminders-run-[0-9a-f-]{36}$/) });
      const state = await api
        .http()
        .get(`/api/v1/jobs/reminders/run/${res.body.jobId}`)
        .set(await as(admin))
        .expect(200);
      // No worker runs here: the job waits.
      expect(state.body).toEqual({ jobId: res.body.jobId, state: 'waiting', result: null, failedReason: null });

      const now = await api
        .http()
        .post('/api/v1/jobs/reminders/run')
        .set(await as(admin))
        .send({})
        .expect(202);
      expect(now.body.jobId).not.toBe(res.body.jobId);
    });

    it('is refused to everyone but admins (403)', async () => {
      for (const user of [pm, kent.manager, kent.viewer]) {
        await api
          .http()
          .post('/api/v1/jobs/reminders/run')
          .set(await as(user))
          .send({ asOf: '2026-03-02T07:00:00Z' })
          .expect(403);
        await api
          .http()
          .get(`/api/v1/jobs/reminders/run/reminders-run-${randomUUID()}`)
          .set(await as(user))
          .expect(403);
      }
    });

    it.each([['tomorrow'], ['2026-02-30T07:00:00Z'], [null], [20260302]])(
      'answers 400 naming asOf for asOf %j',
      async (asOf) => {
        const res = await api
          .http()
          .post('/api/v1/jobs/reminders/run')
          .set(await as(admin))
          .send({ asOf })
          .expect(400);
        expect(fields(res)).toContain('asOf');
      },
    );

    it('answers 404 for a run it does not know', async () => {
      for (const jobId of [`reminders-run-${randomUUID()}`, 'nope', 'reminders-tick-2026-03-02']) {
        const res = await api
          .http()
          .get(`/api/v1/jobs/reminders/run/${jobId}`)
          .set(await as(admin))
          .expect(404);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    });

    it('answers 503 (problem+json), without hanging, when Redis is unreachable', async () => {
      const offline = await startApi({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
      try {
        const someone = await offline.factories.user({ role: 'admin' });
        const auth = { Authorization: `Bearer ${await offline.tokenFor(someone)}` };
        const started = Date.now();
        const res = await offline
          .http()
          .post('/api/v1/jobs/reminders/run')
          .set(auth)
          .send({ asOf: '2026-03-02T07:00:00Z' })
          .expect(503);
        // The producer gives Redis 3 s to answer, then gives up.
        expect(Date.now() - started).toBeLessThan(4_000);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.body).toMatchObject({ status: 503, detail: expect.stringContaining('Redis') });
        await offline.http().get(`/api/v1/jobs/reminders/run/reminders-run-${randomUUID()}`).set(auth).expect(503);
      } finally {
        await offline.close();
      }
    }, 15_000);
  });
});
