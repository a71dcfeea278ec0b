import { deepStrictEqual } from 'node:assert/strict';
import { Pool } from 'pg';
import { BENCH_PASSWORD } from '../shared/data-set';
import { Fixtures } from './scenarios';

interface Answer {
  status: number;
  etag: string | null;
  body: any;
}

async function call(port: number, path: string, token: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
  });
  const text = await res.text();
  return { status: res.status, etag: res.headers.get('etag'), body: text ? JSON.parse(text) : null };
}

function expect(condition: boolean, message: string): void {
  if (!condition) throw new Error(`parity check failed: ${message}`);
}

/**
 * Before any load: both servers accept the same tokens (including one the API issues itself), answer the same
 * JSON for the same reads, and write the same rows for the same kind of PATCH, refusing a stale one with 412.
 */
export async function checkParity(
  baselinePort: number,
  projectPort: number,
  fixtures: Fixtures,
  db: Pool,
  email: string,
): Promise<string[]> {
  const notes: string[] = [];
  const signIn = await fetch(`http://127.0.0.1:${projectPort}/api/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: BENCH_PASSWORD }),
  });
  expect(signIn.status === 200, `POST /api/v1/auth/token answered ${signIn.status}`);
  const issued = ((await signIn.json()) as { accessToken: string }).accessToken;
  const viaIssued = await call(baselinePort, '/api/v1/actions?owner=me&overdue=true', issued);
  expect(viaIssued.status === 200, `the baseline refused a token the API issued (${viaIssued.status})`);
  notes.push('a token from POST /api/v1/auth/token works on both servers');

  let items = 0;
  for (const user of fixtures.listUsers.slice(0, 5)) {
    const path = '/api/v1/actions?owner=me&overdue=true';
    const [b, p] = await Promise.all([call(baselinePort, path, user.token), call(projectPort, path, user.token)]);
    expect(b.status === 200 && p.status === 200, `list answered ${b.status}/${p.status}`);
    deepStrictEqual(b.body, p.body, 'list bodies differ');
    items += p.body.items.length;
  }
  notes.push(`(a) identical bodies for 5 senior managers (${items} overdue actions between them)`);

  for (const pair of fixtures.readPairs.slice(0, 5)) {
    const path = `/api/v1/actions/${pair.id}`;
    const [b, p] = await Promise.all([call(baselinePort, path, pair.token), call(projectPort, path, pair.token)]);
    expect(b.status === 200 && p.status === 200, `get answered ${b.status}/${p.status}`);
    deepStrictEqual(b.body, p.body, 'action bodies differ');
    expect(b.etag === p.etag, 'ETags differ');
  }
  notes.push('(b) identical bodies and ETags for 5 actions');

  const [first, second] = fixtures.writeTargets.slice(-2);
  const written: Record<string, unknown>[] = [];
  for (const [port, target] of [
    [baselinePort, first],
    [projectPort, second],
  ] as const) {
    const path = `/api/v1/actions/${target.id}`;
    const rowsFor = async () => ({
      history: (
        await db.query(
          `SELECT kind, changes, comment FROM action_updates WHERE action_id = $1 ORDER BY created_at DESC, id DESC`,
          [target.id],
        )
      ).rows,
      outbox: (
        await db.query(
          `SELECT event_type, aggregate_type, payload FROM outbox WHERE aggregate_id = $1 ORDER BY id DESC`,
          [target.id],
        )
      ).rows,
    });
    const before = await call(port, path, target.token);
    const rowsBefore = await rowsFor();
    const patch = (etag: string) =>
      call(port, path, target.token, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'if-match': etag },
        body: JSON.stringify({ progress: before.body.progress === 50 ? 51 : 50, comment: 'Parity check' }),
      });
    const ok = await patch(before.etag!);
    expect(ok.status === 200, `PATCH answered ${ok.status} on port ${port}`);
    expect(ok.body.version === before.body.version + 1, 'version did not move on by one');
    const stale = await patch(before.etag!);
    expect(stale.status === 412, `a stale If-Match answered ${stale.status}`);
    const { history, outbox } = await rowsFor();
    expect(
      history.length === rowsBefore.history.length + 1 && outbox.length === rowsBefore.outbox.length + 1,
      'expected one new history row and one new outbox row',
    );
    written.push({
      responseKeys: Object.keys(ok.body),
      historyKind: history[0].kind,
      historyFields: history[0].changes.map((c: { field: string }) => c.field),
      comment: history[0].comment,
      event: outbox[0].event_type,
      aggregate: outbox[0].aggregate_type,
      payloadKeys: Object.keys(outbox[0].payload).sort(),
      payloadFields: outbox[0].payload.fields,
    });
  }
  deepStrictEqual(written[0], written[1], 'the two PATCHes wrote different things');
  notes.push('(c) same response shape, one history row and one outbox event each, stale If-Match → 412 on both');
  return notes;
}
