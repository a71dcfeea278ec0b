export * from './job-ids';
export * from './job-options';
export * from './jobs.producer';
export * from './queues';
export * from './redis-connection';
