import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Time-ordered ids (UUID version 7: a millisecond timestamp, then random bits) for the two tables reminder delivery
 * writes most: emails and notifications. A random (version 4) key lands each new row's index entry on a random leaf
 * of the primary key, so each email sent dirtied dozens of index pages, each first written in full to the WAL after
 * a checkpoint; time-ordered keys append to the rightmost leaves. Existing rows keep their ids (both kinds are
 * valid UUIDs, and nothing orders by id alone). PostgreSQL 15 has no uuidv7(): uuid_v7() makes one from
 * gen_random_uuid() by writing the time into its first 48 bits and the version into its version bits.
 */
export class TimeOrderedDeliveryIds1764900000000 implements MigrationInterface {
  name = 'TimeOrderedDeliveryIds1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION uuid_v7() RETURNS uuid LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
        SELECT encode(
          set_bit(set_bit(
            overlay(uuid_send(gen_random_uuid())
              PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint) FROM 3)
              FROM 1 FOR 6),
            52, 1), 53, 1),
          'hex')::uuid
      $$`);
    await q.query(`ALTER TABLE emails ALTER COLUMN id SET DEFAULT uuid_v7()`);
    await q.query(`ALTER TABLE notifications ALTER COLUMN id SET DEFAULT uuid_v7()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notifications ALTER COLUMN id SET DEFAULT gen_random_uuid()`);
    await q.query(`ALTER TABLE emails ALTER COLUMN id SET DEFAULT gen_random_uuid()`);
    await q.query(`DROP FUNCTION uuid_v7()`);
  }
}
