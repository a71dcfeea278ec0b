import { Client } from 'pg';
import { createTestDatabase, TestDatabase } from '@rt/testing';
import { ACTION_STATUSES, ActionStatus } from './action';
import { ragOf, ragSql } from './action-rules';

/** The RAG rule in SQL (for statements over many actions) gives what ragOf() gives, case by case. */
describe('ragSql', () => {
  let db: TestDatabase;
  let client: Client;

  beforeAll(async () => {
    db = await createTestDatabase({ migrated: false });
    client = new Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await db.drop();
  });

  it('agrees with ragOf for every status, due dates around today and the amber window, and progress around 50', async () => {
    const today = '2026-03-02';
    const cases: { status: ActionStatus; dueDate: string; progress: number }[] = [];
    for (const status of ACTION_STATUSES) {
      for (const dueDate of [
        '2026-02-01',
        '2026-03-01',
        '2026-03-02',
        '2026-03-03',
        '2026-03-16',
        '2026-03-17',
        '2026-04-30',
      ]) {
        for (const progress of [0, 49, 50, 100]) cases.push({ status, dueDate, progress });
      }
    }
    const { rows } = await client.query<{ rag: string | null }>(
      `SELECT ${ragSql('a', '$4::date')} AS rag
       FROM unnest($1::text[], $2::date[], $3::int[]) WITH ORDINALITY AS a(status, due_date, progress, n)
       ORDER BY n`,
      [cases.map((c) => c.status), cases.map((c) => c.dueDate), cases.map((c) => c.progress), today],
    );
    expect(rows.map((r) => r.rag)).toEqual(cases.map((c) => ragOf(c, today)));
    expect(new Set(rows.map((r) => r.rag))).toEqual(new Set(['complete', 'red', 'amber', 'green', null]));
  });
});
