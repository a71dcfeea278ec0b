import { Queue } from 'bullmq';
import { QueueName, redisOptions } from '@rt/jobs';
import { startSystem, SystemHarness } from './system-harness';

jest.setTimeout(60_000);

type World = Awaited<ReturnType<SystemHarness['api']['factories']['world']>>;

/** What happens when an action changes between the run deciding and the email going, and assignment emails. */
describe('reminders and changes to actions', () => {
  let system: SystemHarness;
  let emailQueue: Queue;
  let domainEvents: Queue;

  beforeAll(async () => {
    system = await startSystem({ today: '2026-03-02' });
    const queueOptions = {
      connection: redisOptions(system.api.config.redisUrl),
      prefix: system.api.config.queuePrefix,
    };
    emailQueue = new Queue(QueueName.Email, queueOptions);
    domainEvents = new Queue(QueueName.DomainEvents, queueOptions);
  });
  afterAll(async () => {
    await emailQueue.close();
    await domainEvents.close();
    await system.close();
  });

  const mail = (user: { email: string }) => system.smtp.to(user.email);
  const bearer = async (user: { email: string }) => ({ Authorization: `Bearer ${await system.api.tokenFor(user)}` });
  const asAdmin = async () => ({ Authorization: `Bearer ${await system.adminToken()}` });

  async function patchAction(as: Record<string, string>, actionId: string, body: Record<string, unknown>) {
    const read = await system.api.http().get(`/api/v1/actions/${actionId}`).set(as).expect(200);
    return system.api
      .http()
      .patch(`/api/v1/actions/${actionId}`)
      .set(as)
      .set('If-Match', read.headers.etag)
      .send(body)
      .expect(200);
  }

  /** Waits until every outbox row is relayed and handled, and every email that caused has been delivered. */
  async function eventsHandled() {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { rows } = await system.api.pool.query(`SELECT count(*)::int AS unsent FROM outbox WHERE sent_at IS NULL`);
      const counts = await domainEvents.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'paused');
      if (rows[0].unsent === 0 && Object.values(counts).every((n) => n === 0)) break;
      if (Date.now() > deadline) throw new Error(`domain events still busy: ${JSON.stringify(counts)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    await system.settle();
  }

  async function within(ms: number, done: () => boolean) {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function logFor(actionId: string) {
    const res = await system.api
      .http()
      .get(`/api/v1/notifications?actionId=${actionId}`)
      .set(await asAdmin());
    expect(res.status).toBe(200);
    return res.body.items as { kind: string; status: string; skipReason: string | null; recipientId: string }[];
  }

  function colleague(world: World) {
    return system.api.factories.user({ role: 'senior_manager', organisationId: world.organisation.id });
  }

  describe('an action changed after the run decided and before the email went', () => {
    it('is not sent about when completed, re-dated or reassigned, and the log says why', async () => {
      const completed = await system.api.factories.world({ dueDate: '2026-03-16' });
      await system.api.pool.query(`UPDATE actions SET status = 'in_progress' WHERE id = $1`, [completed.action.id]);
      const redated = await system.api.factories.world({ dueDate: '2026-03-16' });
      const reassigned = await system.api.factories.world({ dueDate: '2026-03-16' });
      const newOwner = await colleague(reassigned);
      const mixed = await system.api.factories.world({ dueDate: '2026-03-16' });
      const stillDue = await system.api.factories.action({
        recommendationId: mixed.recommendation.id,
        ownerId: mixed.manager.id,
        dueDate: '2026-03-16',
        status: 'in_progress',
        title: 'Still to do',
      });
      await system.api.pool.query(`UPDATE actions SET status = 'in_progress' WHERE id = $1`, [mixed.action.id]);

      const receivedBefore = system.smtp.received.length;
      await emailQueue.pause();
      try {
        const { result } = await system.runReminders('2026-03-02T07:00:00Z', { settle: false });
        expect(result.emails).toBeGreaterThanOrEqual(4);
        await patchAction(await bearer(completed.manager), completed.action.id, { status: 'completed' });
        await patchAction(await bearer(redated.manager), redated.action.id, {
          dueDate: '2026-03-30',
          comment: 'Training dates moved by the provider',
        });
        await patchAction(await asAdmin(), reassigned.action.id, { ownerId: newOwner.id });
        await patchAction(await bearer(mixed.manager), mixed.action.id, { status: 'completed' });
        expect(system.smtp.received).toHaveLength(receivedBefore);
      } finally {
        await emailQueue.resume();
      }
      await eventsHandled();

      expect(mail(completed.manager)).toHaveLength(0);
      expect(mail(redated.manager)).toHaveLength(0);
      expect(mail(reassigned.manager)).toHaveLength(0);
      // The new owner hears of the assignment, not of the reminder meant for the old owner.
      expect(mail(newOwner)).toHaveLength(1);
      expect(mail(newOwner)[0].subject).toMatch(/^You are now the owner of an action: /);
      // An email about two actions, one completed meanwhile, goes about the other alone.
      expect(mail(mixed.manager)).toHaveLength(1);
      expect(mail(mixed.manager)[0].subject).toBe('Recommendation Tracker: 1 coming up');
      expect(mail(mixed.manager)[0].text).toContain(`http://tracker.test/actions/${stillDue.id}`);
      expect(mail(mixed.manager)[0].text).not.toContain(`http://tracker.test/actions/${mixed.action.id}`);

      expect(await logFor(completed.action.id)).toEqual([
        expect.objectContaining({ kind: 'reminder', status: 'skipped', skipReason: 'the action is completed' }),
      ]);
      expect(await logFor(redated.action.id)).toEqual([
        expect.objectContaining({ status: 'skipped', skipReason: 'the due date moved to 2026-03-30' }),
      ]);
      expect(await logFor(reassigned.action.id)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            kind: 'reminder',
            recipientId: reassigned.manager.id,
            status: 'skipped',
            skipReason: 'the action has a new owner',
          }),
          expect.objectContaining({ kind: 'assignment', recipientId: newOwner.id, status: 'sent' }),
        ]),
      );
      expect(await logFor(stillDue.id)).toEqual([expect.objectContaining({ status: 'sent', skipReason: null })]);

      // The re-dated action is reminded against its new date: 14 days before 30 March.
      system.clock.set(new Date('2026-03-16T12:00:00Z'));
      await system.runReminders('2026-03-16T07:00:00Z');
      expect(mail(redated.manager)).toHaveLength(1);
      expect(mail(redated.manager)[0].text).toContain('Due Monday 30 March 2026 (in 14 days)');
      system.clock.set(new Date('2026-03-02T12:00:00Z'));
    });
  });

  describe('assignment', () => {
    it('tells the new owner within a few seconds when an admin reassigns an action, once', async () => {
      const world = await system.api.factories.world({ dueDate: '2026-05-29' });
      const newOwner = await colleague(world);
      const admin = await asAdmin();
      await patchAction(admin, world.action.id, { ownerId: newOwner.id });
      await within(5_000, () => mail(newOwner).length > 0);
      await eventsHandled();

      const received = mail(newOwner);
      expect(received).toHaveLength(1);
      const { rows } = await system.api.pool.query(`SELECT title FROM actions WHERE id = $1`, [world.action.id]);
      expect(received[0].subject).toBe(`You are now the owner of an action: ${rows[0].title}`);
      expect(received[0].text).toContain('ACTIONS ASSIGNED TO YOU');
      // Who made them the owner, by name.
      const { body: assigner } = await system.api.http().get('/api/v1/me').set(admin).expect(200);
      expect(received[0].text).toContain(`Assigned to you by ${assigner.name}. Due Friday 29 May 2026 (in 88 days)`);
      expect(received[0].text).toContain(`${world.organisation.name}`);
      expect(received[0].text).toContain(`${assigner.name} made you the owner of an action.`);
      expect(received[0].text).toContain(`http://tracker.test/actions/${world.action.id}`);
      expect(received[0].html).toContain(`href="http://tracker.test/actions/${world.action.id}"`);
      expect(mail(world.manager)).toHaveLength(0);
    });

    it('tells a colleague a senior manager assigns, but not a senior manager who assigns themselves', async () => {
      const world = await system.api.factories.world({ dueDate: '2026-05-29' });
      const other = await colleague(world);
      const theirs = await system.api.factories.action({
        recommendationId: world.recommendation.id,
        ownerId: other.id,
        dueDate: '2026-06-30',
      });
      const manager = await bearer(world.manager);
      await patchAction(manager, theirs.id, { ownerId: world.manager.id }); // takes it on
      await patchAction(manager, world.action.id, { ownerId: other.id }); // hands theirs over
      await within(5_000, () => mail(other).length > 0);
      await eventsHandled();
      expect(mail(other)).toHaveLength(1);
      expect(mail(other)[0].text).toContain(`http://tracker.test/actions/${world.action.id}`);
      const { body: assigner } = await system.api.http().get('/api/v1/me').set(manager).expect(200);
      expect(mail(other)[0].text).toContain(`${assigner.name} made you the owner of an action.`);
      expect(mail(world.manager)).toHaveLength(0);
    });

    it('tells the owner of a new action created by someone else, not one who created it for themselves', async () => {
      const world = await system.api.factories.world();
      const headers = await asAdmin();
      const created = await system.api
        .http()
        .post(`/api/v1/recommendations/${world.recommendation.id}/actions`)
        .set(headers)
        .send({
          title: 'Consult children’s social care on every case',
          ownerId: world.manager.id,
          dueDate: '2026-04-30',
        })
        .expect(201);
      await system.api
        .http()
        .post(`/api/v1/recommendations/${world.recommendation.id}/actions`)
        .set(await bearer(world.manager))
        .send({ title: 'Own action', ownerId: world.manager.id, dueDate: '2026-04-30' })
        .expect(201);
      await within(5_000, () => mail(world.manager).length > 0);
      await eventsHandled();

      const received = mail(world.manager);
      expect(received).toHaveLength(1);
      expect(received[0].subject).toBe(
        'You are now the owner of an action: Consult children’s social care on every case',
      );
      expect(received[0].text).toContain('Due Thursday 30 April 2026 (in 59 days)');
      expect(received[0].text).toContain(`http://tracker.test/actions/${created.body.id}`);
      const { body: creator } = await system.api.http().get('/api/v1/me').set(headers).expect(200);
      expect(received[0].text).toContain(`${creator.name} made you the owner of an action.`);
    });
  });
});
