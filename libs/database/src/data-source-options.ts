import { types } from 'pg';
import { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';

export interface DatabaseOptions {
  url: string;
  poolSize?: number;
  applicationName?: string;
}

export function dataSourceOptions({ url, poolSize = 10, applicationName = 'recommendation-tracker' }: DatabaseOptions) {
  return {
    type: 'postgres',
    url,
    entities: [],
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    applicationName,
    extra: {
      max: poolSize,
      // A request never waits forever for a connection or a lock.
      connectionTimeoutMillis: 5_000,
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
    },
  } satisfies DataSourceOptions;
}

// Calendar dates stay `YYYY-MM-DD` strings: no time zone ever shifts a due date.
types.setTypeParser(types.builtins.DATE, (value: string) => value);
// Counts arrive as numbers (they are far below 2^53).
types.setTypeParser(types.builtins.INT8, (value: string) => Number(value));
