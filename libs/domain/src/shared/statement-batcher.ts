import DataLoader from 'dataloader';

/**
 * Many callers' one-row statements as one statement for all of them, for hot per-job writes (one commit, one
 * executor start-up and one round trip instead of one each). A batch goes as soon as fewer than `maxInFlight` are
 * running; while they are all running, callers join the next batch, so batches grow with the load and a lone caller
 * waits for nobody. DataLoader does the collecting and hands each caller its own answer.
 *
 * `run` answers one result per key, in order, or an Error for a key it could not serve. When it fails as a whole for
 * several keys, each is run again on its own, so one bad key fails only its caller.
 */
export class StatementBatcher<K, V> {
  private running = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly loader: DataLoader<K, V>;

  constructor(options: {
    run: (keys: readonly K[]) => Promise<Array<V | Error>>;
    maxInFlight: number;
    maxBatchSize: number;
  }) {
    const { run } = options;
    const runAlone = (key: K): Promise<V | Error> =>
      run([key]).then(
        ([answer]) => answer,
        (error: Error) => error,
      );
    this.loader = new DataLoader<K, V>(
      async (keys) => {
        try {
          if (keys.length === 1) return [await runAlone(keys[0])];
          try {
            return await run(keys);
          } catch {
            return await Promise.all(keys.map(runAlone));
          }
        } finally {
          this.finished();
        }
      },
      {
        cache: false,
        maxBatchSize: options.maxBatchSize,
        batchScheduleFn: (dispatch) => this.schedule(dispatch, options.maxInFlight),
      },
    );
  }

  load(key: K): Promise<V> {
    return this.loader.load(key);
  }

  /** A new batch has its first key: it goes on the next turn of the event loop if a slot is free, else when one is. */
  private schedule(dispatch: () => void, maxInFlight: number): void {
    if (this.running < maxInFlight) {
      this.running++;
      setImmediate(dispatch);
    } else {
      this.waiting.push(dispatch);
    }
  }

  /** A batch is done: its slot goes to the oldest waiting batch, which has been collecting keys meanwhile. */
  private finished(): void {
    const next = this.waiting.shift();
    if (next) setImmediate(next);
    else this.running--;
  }
}
