import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue } from 'bullmq';
import { FixedClock } from '@rt/domain';
import { QueueName, redisOptions } from '@rt/jobs';
import { SmtpSink, SmtpSinkOptions, testConfig } from '@rt/testing';
import { ApiHarness, startApi } from '../../apps/api/test/api-harness';
import { createWorkerApp } from '../../apps/worker/src/worker-app';

export interface SystemHarness {
  api: ApiHarness;
  worker: NestFastifyApplication;
  smtp: SmtpSink;
  clock: FixedClock;
  /**
   * POST /api/v1/jobs/reminders/run as an admin, then waits for the run and (unless `settle` is false) every email
   * it enqueued.
   */
  runReminders(
    asOf: string,
    options?: { settle?: boolean },
  ): Promise<{ jobId: string; result: Record<string, unknown> }>;
  /** Waits until no email job is waiting, active or delayed (retries included) and nothing deliverable is queued. */
  settle(timeoutMs?: number): Promise<void>;
  adminToken(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The whole system in one process: the API and the worker (as their main.ts build them) on one fresh database
 * and one Redis key prefix, sending mail to a real SMTP server started here. The worker's clock is fixed (the
 * day an email is read in); runs say what day they are for with `asOf`.
 */
export async function startSystem(
  options: {
    today?: string;
    smtp?: SmtpSinkOptions;
    env?: Record<string, string>;
    /** false: no in-process worker (the test runs its own, e.g. the built worker as a child process). */
    worker?: boolean;
  } = {},
): Promise<SystemHarness> {
  const smtp = await new SmtpSink(options.smtp).start();
  const env = {
    SMTP_URL: smtp.url,
    EMAIL_RETRY_DELAY_MS: '100',
    EMAIL_ATTEMPTS: '4',
    JOB_STALLED_INTERVAL_MS: '1000',
    OUTBOX_POLL_MS: '50',
    ...options.env,
  };
  // The API and the worker live on the same day, as they do in production.
  const today = options.today ?? '2026-03-02';
  const api = await startApi({ env: { ...env, QUEUE_PREFIX: testConfig().queuePrefix }, today });
  const clock = new FixedClock(new Date(`${today}T12:00:00Z`));
  const worker =
    options.worker === false
      ? undefined
      : await createWorkerApp(
          testConfig({ DATABASE_URL: api.database.url, ...env, QUEUE_PREFIX: api.config.queuePrefix }),
          {
            clock,
            schedule: false,
          },
        );
  const connection = redisOptions(api.config.redisUrl);
  const emailQueue = new Queue(QueueName.Email, { connection, prefix: api.config.queuePrefix });
  let admin: { email: string } | undefined;

  const harness: SystemHarness = {
    api,
    get worker() {
      if (!worker) throw new Error('this system has no in-process worker (started with worker: false)');
      return worker;
    },
    smtp,
    clock,
    async adminToken() {
      admin ??= await api.factories.user({ role: 'admin' });
      return api.tokenFor(admin);
    },
    async runReminders(asOf, { settle = true } = {}) {
      const token = await harness.adminToken();
      const accepted = await api
        .http()
        .post('/api/v1/jobs/reminders/run')
        .set('Authorization', `Bearer ${token}`)
        .send({ asOf })
        .expect(202);
      const jobId: string = accepted.body.jobId;
      const deadline = Date.now() + 15_000;
      for (;;) {
        const res = await api
          .http()
          .get(`/api/v1/jobs/reminders/run/${jobId}`)
          .set('Authorization', `Bearer ${token}`)
          .expect(200);
        if (res.body.state === 'completed') {
          if (settle) await harness.settle();
          return { jobId, result: res.body.result };
        }
        if (res.body.state === 'failed') throw new Error(`reminder run failed: ${res.body.failedReason}`);
        if (Date.now() > deadline) throw new Error(`reminder run still ${res.body.state} after 15 s`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async settle(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const counts = await emailQueue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
        const busy = Object.values(counts).reduce((a, b) => a + b, 0);
        if (busy === 0) return;
        if (Date.now() > deadline) throw new Error(`email queue still busy: ${JSON.stringify(counts)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    async close() {
      await worker?.close();
      await emailQueue.obliterate({ force: true }).catch(() => undefined);
      for (const name of Object.values(QueueName)) {
        const q = new Queue(name, { connection, prefix: api.config.queuePrefix });
        await q.obliterate({ force: true }).catch(() => undefined);
        await q.close();
      }
      await emailQueue.close();
      await api.close();
      await smtp.stop();
    },
  };
  return harness;
}
