export * from './job-ids';
export * from './job-options';
export * from './queues';
export * from './redis-connection';
