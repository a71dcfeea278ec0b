import { Client } from 'pg';

export interface CapturedStatement {
  sql: string;
  params: unknown[];
}

export interface TimedStatement {
  /** The statement's first words, enough to recognise it. */
  label: string;
  ms: number;
}

type QueryFn = (this: Client, ...args: unknown[]) => unknown;

/**
 * Measures, in this process, the wall time during which at least one PostgreSQL statement was outstanding, by
 * wrapping pg's Client#query (the driver under TypeORM and the pool reader alike). While on, it also keeps the
 * statements that match `capture`, with their parameters, so the bench can EXPLAIN exactly what the run sent.
 */
export class PgWaitMeter {
  waitMs = 0;
  statements = 0;
  readonly captured: CapturedStatement[] = [];
  readonly timed: TimedStatement[] = [];
  private on = false;
  private inFlight = 0;
  private since = 0;
  private original?: QueryFn;

  constructor(private readonly capture: (sql: string) => boolean) {}

  install(): void {
    const proto = Client.prototype as unknown as { query: QueryFn };
    const original = proto.query;
    this.original = original;
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const meter = this;
    proto.query = function (this: Client, ...args: unknown[]) {
      if (!meter.on) return original.apply(this, args);
      const [first, second] = args;
      const sql = typeof first === 'string' ? first : (first as { text?: string })?.text;
      if (sql && meter.capture(sql)) {
        meter.captured.push({ sql, params: Array.isArray(second) ? second : [] });
      }
      const label = labelOf(sql);
      const last = args[args.length - 1];
      if (typeof last === 'function') {
        const end = meter.begin(label);
        args[args.length - 1] = (...callbackArgs: unknown[]) => {
          end();
          return (last as (...a: unknown[]) => unknown)(...callbackArgs);
        };
        return original.apply(this, args);
      }
      const result = original.apply(this, args);
      if (result && typeof (result as Promise<unknown>).then === 'function') {
        const end = meter.begin(label);
        (result as Promise<unknown>).then(end, end);
      }
      return result;
    };
  }

  uninstall(): void {
    if (this.original) (Client.prototype as unknown as { query: QueryFn }).query = this.original;
  }

  start(): void {
    this.waitMs = 0;
    this.statements = 0;
    this.timed.length = 0;
    this.on = true;
  }

  stop(): void {
    this.on = false;
  }

  private begin(label: string): () => void {
    this.statements += 1;
    const started = performance.now();
    if (this.inFlight++ === 0) this.since = started;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      const now = performance.now();
      this.timed.push({ label, ms: now - started });
      if (--this.inFlight === 0) this.waitMs += now - this.since;
    };
  }
}

/** "INSERT INTO notifications …", "UPDATE notifications …": the statement's verb and table, CTEs skipped. */
function labelOf(sql: string | undefined): string {
  if (!sql) return '(submittable)';
  const flat = sql.replace(/\s+/g, ' ').trim();
  const main = /\b(INSERT INTO \w+|UPDATE \w+|DELETE FROM \w+)/.exec(flat);
  if (main) return `${flat.startsWith('WITH') ? 'WITH … ' : ''}${main[1]}`;
  const select = /^SELECT .*? FROM (\w+)/.exec(flat);
  return select ? `SELECT … FROM ${select[1]}` : flat.slice(0, 40);
}
