import { Queue } from 'bullmq';
import { DigestService } from '@rt/domain';
import { QueueName, redisOptions } from '@rt/jobs';
import { DigestProcessor } from '../../apps/worker/src/processors/digest.processor';
import { startSystem, SystemHarness } from './system-harness';

jest.setTimeout(60_000);

type World = Awaited<ReturnType<SystemHarness['api']['factories']['world']>>;

/**
 * The weekly digest to performance managers, end to end: API, worker and a real SMTP server. Content and scope,
 * opt-out, once only (run twice, two runs at once, a job lost with Redis), the bank-holiday Monday and a refused
 * address.
 */
describe('weekly digest', () => {
  let system: SystemHarness;
  let digestQueue: Queue;

  beforeAll(async () => {
    system = await startSystem({ today: '2026-03-09', smtp: { rejectRecipients: (a) => a.startsWith('refused') } });
    digestQueue = new Queue(QueueName.Digest, {
      connection: redisOptions(system.api.config.redisUrl),
      prefix: system.api.config.queuePrefix,
    });
  });
  afterAll(async () => {
    await digestQueue.close();
    await system.close();
  });

  const mail = (user: { email: string }) => system.smtp.to(user.email);
  const sql = (text: string, params: unknown[] = []) => system.api.pool.query(text, params).then((r) => r.rows);

  /** Waits until no digest job is waiting, active or delayed (retries included). */
  async function settle() {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const counts = await digestQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      if (Object.values(counts).every((n) => n === 0)) return;
      if (Date.now() > deadline) throw new Error(`digest queue still busy: ${JSON.stringify(counts)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** POST /api/v1/jobs/digest/run as an admin with the worker's clock on that day; waits for it and its emails. */
  async function runDigest(asOf: string) {
    system.clock.set(new Date(asOf));
    const headers = { Authorization: `Bearer ${await system.adminToken()}` };
    const accepted = await system.api.http().post('/api/v1/jobs/digest/run').set(headers).send({ asOf }).expect(202);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const res = await system.api
        .http()
        .get(`/api/v1/jobs/digest/run/${accepted.body.jobId}`)
        .set(headers)
        .expect(200);
      if (res.body.state === 'completed') {
        await settle();
        return res.body.result;
      }
      if (res.body.state === 'failed') throw new Error(`digest run failed: ${res.body.failedReason}`);
      if (Date.now() > deadline) throw new Error(`digest run still ${res.body.state}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async function tick(instant: string) {
    system.clock.set(new Date(instant));
    const result = await system.worker.get(DigestProcessor).tick();
    await settle();
    return result.weeks;
  }

  const pm = (portfolio: string[], email?: string) =>
    system.api.factories.user({ role: 'performance_manager', portfolio, email });

  const digestsOf = (user: { id: string }) =>
    sql(
      `SELECT week_start::text AS week, status, attempts, last_error, message_id, skip_reason FROM digests
       WHERE recipient_id = $1 ORDER BY week_start`,
      [user.id],
    );

  async function add(
    world: World,
    a: { title: string; dueDate: string; status?: string; progress?: number },
    set: Record<string, string> = {},
  ) {
    const { id } = await system.api.factories.action({
      recommendationId: world.recommendation.id,
      ownerId: world.manager.id,
      dueDate: a.dueDate,
      title: a.title,
      status: a.status as never,
      progress: a.progress ?? (a.status === 'completed' || a.status === 'verified' ? 100 : 0),
    });
    for (const [column, value] of Object.entries(set)) {
      await sql(`UPDATE actions SET ${column} = $2 WHERE id = $1`, [id, value]);
    }
    return id;
  }

  describe('content and scope', () => {
    let kent: World;
    let surrey: World;
    let other: World;
    let manager: { id: string; email: string };
    let otherManager: { id: string; email: string };
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      kent = await system.api.factories.world({ dueDate: '2030-01-31' });
      surrey = await system.api.factories.world({ dueDate: '2030-01-31' });
      other = await system.api.factories.world({ dueDate: '2030-01-31' });
      manager = await pm([kent.organisation.id, surrey.organisation.id]);
      otherManager = await pm([other.organisation.id]);
      // The week covered is Monday 2 to Sunday 8 March 2026; the digest goes on Monday 9 March.
      ids.overdue = await add(kent, {
        title: 'Audit risk of harm plans',
        dueDate: '2026-03-04',
        status: 'in_progress',
      });
      ids.overdueBefore = await add(kent, { title: 'Long overdue', dueDate: '2026-02-27' });
      ids.overdueDone = await add(kent, { title: 'Due in the week, done', dueDate: '2026-03-05', status: 'verified' });
      ids.completed = await add(
        kent,
        { title: 'Train staff in MAPPA', dueDate: '2026-03-20', status: 'completed' },
        { completed_at: '2026-03-05T10:00:00Z' },
      );
      ids.completedBefore = await add(
        kent,
        { title: 'Completed last month', dueDate: '2026-02-20', status: 'completed' },
        { completed_at: '2026-02-19T10:00:00Z' },
      );
      ids.verified = await add(
        kent,
        { title: 'Home visits in high risk cases', dueDate: '2026-03-01', status: 'verified' },
        { completed_at: '2026-02-27T10:00:00Z', verified_at: '2026-03-06T15:00:00Z' },
      );
      ids.redated = await add(kent, { title: 'Review victim safety plans', dueDate: '2026-06-30' });
      await sql(
        `INSERT INTO action_updates (action_id, kind, changes, comment, created_at)
         VALUES ($1, 'updated', $2, 'Waiting for the new case system', '2026-03-03T11:00:00Z')`,
        [ids.redated, JSON.stringify([{ field: 'dueDate', from: '2026-04-30', to: '2026-06-30' }])],
      );
      ids.atRisk = await add(kent, {
        title: 'Check with children’s social care',
        dueDate: '2026-03-16',
        status: 'in_progress',
        progress: 10,
      });
      ids.surreyOverdue = await add(surrey, { title: 'Surrey: contact police', dueDate: '2026-03-06' });
      ids.otherOverdue = await add(other, { title: 'Elsewhere: not your portfolio', dueDate: '2026-03-06' });
      // Kent at the end of the week before (the roll-up trend): 1 of 5 actions done, 20%.
      await sql(
        `INSERT INTO rollup_daily (day, grain, organisation_id, key, not_started, in_progress, completed, verified)
         VALUES ('2026-03-01', 'organisation', $1, $2, 3, 1, 1, 0)`,
        [kent.organisation.id, kent.organisation.id],
      );
    });

    it('sends each performance manager one email about their portfolio, per organisation, with links', async () => {
      const result = await runDigest('2026-03-09T07:00:00Z');
      expect(result).toMatchObject({ weekStart: '2026-03-02', weekEnd: '2026-03-08', runDate: '2026-03-09' });
      const [email] = mail(manager);
      expect(mail(manager)).toHaveLength(1);
      expect(email.to).toEqual([manager.email]);
      expect(email.subject).toBe(
        'Weekly digest, week to Sunday 8 March 2026: 2 newly overdue, 1 awaiting verification, 1 verified, ' +
          '1 re-dated, 1 at risk',
      );
      expect(email.text).toContain('for Monday 2 March 2026 to Sunday 8 March 2026');

      /** One organisation's part of the text: from its heading to the next one (or the closing words). */
      const partOf = (w: World) => {
        const at = (name: string) => email.text.indexOf(name.toUpperCase());
        const start = at(w.organisation.name);
        const ends = [kent, surrey].map((o) => at(o.organisation.name)).filter((i) => i > start);
        return email.text.slice(start, Math.min(...ends, email.text.indexOf('WHY YOU ARE GETTING')));
      };
      const [kentPart, surreyPart] = [partOf(kent), partOf(surrey)];

      // 9 Kent actions, 4 done (completed or verified): 44%, up from 20%.
      expect(kentPart).toContain('44% complete (up 24 points this week, from 20%)');
      expect(kentPart).toContain('2 actions overdue, 2 awaiting verification in all');
      expect(kentPart).toContain(`http://tracker.test/organisations/${kent.organisation.id}`);
      const section = (heading: string) => {
        const start = kentPart.indexOf(heading);
        expect({ heading, found: start >= 0 }).toEqual({ heading, found: true });
        const rest = kentPart.slice(start + heading.length);
        const next = rest.search(/\n[A-Z][a-z-]+[^\n]* \(\d+\)\n/);
        return next < 0 ? rest : rest.slice(0, next);
      };
      const newly = section('Newly overdue (1)');
      expect(newly).toContain('* Audit risk of harm plans');
      expect(newly).toContain('Was due Wednesday 4 March 2026: 5 days overdue');
      expect(newly).toContain(`http://tracker.test/actions/${ids.overdue}`);
      expect(kentPart).not.toContain('Long overdue');
      expect(kentPart).not.toContain('Due in the week, done');
      const completed = section('Completed and awaiting your verification (1)');
      expect(completed).toContain('* Train staff in MAPPA');
      expect(completed).toContain('Completed Thursday 5 March 2026');
      expect(kentPart).not.toContain('Completed last month');
      expect(section('Verified (1)')).toContain('Verified Friday 6 March 2026');
      const redated = section('Re-dated (1)');
      expect(redated).toContain('* Review victim safety plans');
      expect(redated).toContain('Due date moved from Thursday 30 April 2026 to Tuesday 30 June 2026');
      const atRisk = section('At risk (amber) (1)');
      expect(atRisk).toContain('Due Monday 16 March 2026 (in 7 days), 10% complete');
      expect(atRisk).toContain(`http://tracker.test/actions/${ids.atRisk}`);

      expect(surreyPart).toContain('0% complete (no figure recorded for the week before)');
      expect(surreyPart).toContain('* Surrey: contact police');
      expect(email.html).toContain(`href="http://tracker.test/actions/${ids.overdue}"`);
      expect(email.html).toContain(`href="http://tracker.test/organisations/${surrey.organisation.id}"`);
      expect(email.text).not.toContain(other.organisation.name.toUpperCase());
      expect(email.text).not.toContain('Elsewhere');

      // The other performance manager hears only of their own portfolio.
      expect(mail(otherManager)).toHaveLength(1);
      expect(mail(otherManager)[0].text).toContain('Elsewhere: not your portfolio');
      expect(mail(otherManager)[0].text).not.toContain(kent.organisation.name.toUpperCase());
      // Nobody else gets a digest (senior managers, viewers, admins).
      for (const w of [kent, surrey, other]) expect(mail(w.manager)).toHaveLength(0);

      expect(await digestsOf(manager)).toEqual([
        {
          week: '2026-03-02',
          status: 'sent',
          attempts: 1,
          last_error: null,
          message_id: `<digest.2026-03-02.${manager.id}@recommendation-tracker>`,
          skip_reason: null,
        },
      ]);
    });

    it('sends it once: run again, or twice at once, and nothing more goes', async () => {
      await runDigest('2026-03-09T07:00:00Z');
      await Promise.all([runDigest('2026-03-09T09:00:00Z'), runDigest('2026-03-10T07:00:00Z')]);
      expect(mail(manager)).toHaveLength(1);
      expect(mail(otherManager)).toHaveLength(1);
      expect(await digestsOf(manager)).toHaveLength(1);
    });
  });

  it('skips those who opted out (through the API) or are disabled, and honours a change after the run', async () => {
    const org = (await system.api.factories.world()).organisation.id;
    const optedOut = await pm([org]);
    const disabled = await system.api.factories.user({ role: 'performance_manager', portfolio: [org], active: false });
    const latecomer = await pm([org]);
    const noPortfolio = await pm([]);
    const headers = { Authorization: `Bearer ${await system.api.tokenFor(optedOut)}` };
    const me = await system.api.http().get('/api/v1/me').set(headers).expect(200);
    await system.api
      .http()
      .patch('/api/v1/me')
      .set(headers)
      .set('If-Match', me.headers.etag)
      .send({ weeklyDigest: false })
      .expect(200);

    // Decided, then the latecomer opts out before the send job runs: it is skipped, saying why.
    system.clock.set(new Date('2026-03-16T07:00:00Z'));
    await system.worker.get(DigestService).run({
      asOf: new Date('2026-03-16T07:00:00Z'),
      weekStart: '2026-03-09',
      trigger: 'manual',
      runKey: 'test-latecomer',
    });
    await sql(`UPDATE users SET weekly_digest = false WHERE id = $1`, [latecomer.id]);
    await runDigest('2026-03-16T07:00:00Z');

    for (const u of [optedOut, disabled, latecomer, noPortfolio]) expect(mail(u)).toHaveLength(0);
    expect(await digestsOf(optedOut)).toEqual([]);
    expect(await digestsOf(disabled)).toEqual([]);
    expect(await digestsOf(noPortfolio)).toEqual([]);
    expect(await digestsOf(latecomer)).toEqual([
      expect.objectContaining({
        week: '2026-03-09',
        status: 'skipped',
        skip_reason: 'the recipient has turned the weekly digest off',
      }),
    ]);
  });

  it('marks a digest to a refused address failed with the server’s answer, and still sends the others', async () => {
    const org = (await system.api.factories.world()).organisation.id;
    const refused = await pm([org], `refused.pm.${Date.now()}@example.org`);
    const fine = await pm([org]);
    await runDigest('2026-03-23T07:00:00Z');
    expect(mail(fine)).toHaveLength(1);
    expect(mail(refused)).toHaveLength(0);
    const [row] = await digestsOf(refused);
    expect(row).toMatchObject({ week: '2026-03-16', status: 'failed', attempts: 1, message_id: null });
    expect(row.last_error).toContain('mailbox unavailable');
    // A later run does not try it again.
    await runDigest('2026-03-23T08:00:00Z');
    expect(await digestsOf(refused)).toEqual([row]);
  });

  it('never loses one: a digest decided but whose job was lost goes with the next tick, once', async () => {
    const org = (await system.api.factories.world()).organisation.id;
    const manager = await pm([org]);
    // Decided (recorded in PostgreSQL) and never enqueued: a crash after the decision, or Redis flushed.
    system.clock.set(new Date('2026-03-30T07:00:00Z'));
    await system.worker.get(DigestService).run({
      asOf: new Date('2026-03-30T07:00:00Z'),
      weekStart: '2026-03-23',
      trigger: 'manual',
      runKey: 'test-lost',
    });
    await settle();
    expect(mail(manager)).toHaveLength(0);
    expect(await digestsOf(manager)).toEqual([expect.objectContaining({ week: '2026-03-23', status: 'queued' })]);
    await tick('2026-03-30T07:15:00Z');
    expect(mail(manager)).toHaveLength(1);
    await tick('2026-03-30T07:30:00Z');
    await runDigest('2026-03-30T08:00:00Z');
    expect(mail(manager)).toHaveLength(1);
    expect(await digestsOf(manager)).toEqual([expect.objectContaining({ week: '2026-03-23', status: 'sent' })]);
  });

  describe('schedule', () => {
    it('goes at 07:00 London on Monday, or on Tuesday after a bank-holiday Monday, once', async () => {
      const org = (await system.api.factories.world()).organisation.id;
      const manager = await pm([org]);
      // Easter Monday 6 April 2026 is a bank holiday (BST: 07:00 London is 06:00 UTC).
      expect(await tick('2026-04-06T06:00:00Z')).toEqual([]);
      expect(await tick('2026-04-06T10:00:00Z')).toEqual([]);
      expect(mail(manager)).toHaveLength(0);
      expect(await tick('2026-04-07T05:45:00Z')).toEqual([]);
      expect(await tick('2026-04-07T06:00:00Z')).toEqual(['2026-03-30']);
      expect(mail(manager)).toHaveLength(1);
      expect(mail(manager)[0].subject).toContain('week to Sunday 5 April 2026');
      expect(await tick('2026-04-07T06:15:00Z')).toEqual([]);
      expect(await tick('2026-04-08T06:00:00Z')).toEqual([]);
      expect(mail(manager)).toHaveLength(1);
    });

    it('catches up a Monday the worker missed on its next tick', async () => {
      const org = (await system.api.factories.world()).organisation.id;
      const manager = await pm([org]);
      // The worker was down from Friday 10 April until Wednesday 15 April.
      expect(await tick('2026-04-15T09:00:00Z')).toEqual(['2026-04-06']);
      expect(mail(manager).map((m) => m.subject)).toEqual(['Weekly digest, week to Sunday 12 April 2026: no changes']);
      expect(await tick('2026-04-15T09:15:00Z')).toEqual([]);
      expect(mail(manager)).toHaveLength(1);
    });
  });
});
