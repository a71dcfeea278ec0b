export * from './factories';
export * from './test-config';
export * from './test-database';
export * from './smtp-sink';
