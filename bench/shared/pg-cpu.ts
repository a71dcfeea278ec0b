import { Pool } from 'pg';
import { cpuMs } from './processes';

/** PostgreSQL backend pids connected to the pool's database for one application name. */
export async function backendPids(db: Pool, applicationName: string): Promise<number[]> {
  const { rows } = await db.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
    [applicationName],
  );
  return rows.map((r) => r.pid);
}

/** CPU used so far by each of these processes, in ms (processes that are gone are left out). */
export const cpuOf = (pids: number[]) =>
  new Map(
    pids.flatMap((pid) => {
      try {
        return [[pid, cpuMs(pid)] as const];
      } catch {
        return [];
      }
    }),
  );

/** CPU used between two readings by the processes present in the second. */
export function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? ms);
  return total;
}
