import { Pool } from 'pg';
import { DataSource } from 'typeorm';

/**
 * A domain service's DataSource for a bench that has only a pg pool: the services' single statements go straight to
 * the driver's pool (poolReader, preparedStatement in libs/domain), so that pool is all they need outside a
 * transaction.
 */
export const poolDataSource = (pool: Pool): DataSource => ({ driver: { master: pool } }) as unknown as DataSource;
