import { Job, WorkerOptions } from 'bullmq';
import { JobData, JobName, QueueName } from '@rt/jobs';

export type JobHandlers<Q extends QueueName> = {
  [N in JobName<Q>]: (job: Job<JobData<Q, N>, unknown, N>) => Promise<unknown>;
};

/**
 * One per queue: a handler for each of its job names (the type makes a missing one a build error, and the
 * workers host checks again at boot), and how its BullMQ worker should run. Handlers stay thin: they parse the
 * job and call one domain service method.
 */
export interface QueueProcessor<Q extends QueueName = QueueName> {
  readonly queue: Q;
  readonly handlers: JobHandlers<Q>;
  readonly options?: Partial<Pick<WorkerOptions, 'concurrency' | 'limiter'>>;
}

export const QUEUE_PROCESSORS = Symbol('QUEUE_PROCESSORS');
