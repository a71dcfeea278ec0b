import { StatementBatcher } from './statement-batcher';

/** A statement that runs until released, recording what it was given. */
class FakeStatements {
  readonly batches: string[][] = [];
  readonly singles: string[] = [];
  private releases: Array<() => void> = [];

  batcher(options: { maxInFlight: number; maxBatchSize: number; failBatch?: boolean; badKey?: string }) {
    return new StatementBatcher<string, string>({
      maxInFlight: options.maxInFlight,
      maxBatchSize: options.maxBatchSize,
      run: async (keys) => {
        if (keys.length === 1) this.singles.push(keys[0]);
        else this.batches.push([...keys]);
        await this.held();
        if (keys.length > 1 && options.failBatch) throw new Error('batch statement failed');
        if (keys.length === 1 && keys[0] === options.badKey) throw new Error(`no row for ${keys[0]}`);
        return keys.map((key) => `answer to ${key}`);
      },
    });
  }

  private held(): Promise<void> {
    return new Promise((resolve) => this.releases.push(resolve));
  }

  /** Lets every statement running now finish. */
  async releaseAll(): Promise<void> {
    await settle();
    const releases = this.releases;
    this.releases = [];
    releases.forEach((release) => release());
    await settle();
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

async function drain(statements: FakeStatements, ...loads: Promise<unknown>[]) {
  const all = Promise.allSettled(loads);
  for (let i = 0; i < 10; i++) await statements.releaseAll();
  return all;
}

describe('StatementBatcher', () => {
  it('runs a lone key at once, on its own', async () => {
    const statements = new FakeStatements();
    const batcher = statements.batcher({ maxInFlight: 1, maxBatchSize: 50 });
    const answer = batcher.load('a');
    await drain(statements, answer);
    await expect(answer).resolves.toBe('answer to a');
    expect(statements.singles).toEqual(['a']);
    expect(statements.batches).toEqual([]);
  });

  it('puts the keys that arrive while a statement runs into the next one, each caller getting its own answer', async () => {
    const statements = new FakeStatements();
    const batcher = statements.batcher({ maxInFlight: 1, maxBatchSize: 50 });
    const first = batcher.load('a');
    await settle();
    await settle();
    const later: Promise<string>[] = [];
    for (const key of ['b', 'c', 'd']) {
      later.push(batcher.load(key));
      await settle();
    }
    await drain(statements, first, ...later);
    expect(statements.singles).toEqual(['a']);
    expect(statements.batches).toEqual([['b', 'c', 'd']]);
    await expect(Promise.all(later)).resolves.toEqual(['answer to b', 'answer to c', 'answer to d']);
  });

  it('runs up to maxInFlight statements at once and no more', async () => {
    const statements = new FakeStatements();
    const batcher = statements.batcher({ maxInFlight: 2, maxBatchSize: 2 });
    const loads = ['a', 'b', 'c', 'd', 'e', 'f'].map((key) => batcher.load(key));
    await settle();
    await settle();
    expect(statements.batches).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    await drain(statements, ...loads);
    expect(statements.batches).toEqual([
      ['a', 'b'],
      ['c', 'd'],
      ['e', 'f'],
    ]);
    await expect(Promise.all(loads)).resolves.toHaveLength(6);
  });

  it('when a batch fails as a whole, tries each key alone, so only the bad key fails its caller', async () => {
    const statements = new FakeStatements();
    const batcher = statements.batcher({ maxInFlight: 1, maxBatchSize: 50, failBatch: true, badKey: 'b' });
    const loads = ['a', 'b', 'c'].map((key) => batcher.load(key));
    const outcomes = await drain(statements, ...loads);
    expect(statements.batches).toEqual([['a', 'b', 'c']]);
    expect(statements.singles).toEqual(['a', 'b', 'c']);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 'answer to a' },
      { status: 'rejected', reason: new Error('no row for b') },
      { status: 'fulfilled', value: 'answer to c' },
    ]);
  });

  it('frees its slot after a failure, so later keys still run', async () => {
    const statements = new FakeStatements();
    const batcher = statements.batcher({ maxInFlight: 1, maxBatchSize: 50, badKey: 'a' });
    const failed = batcher.load('a');
    await drain(statements, failed);
    await expect(failed).rejects.toThrow('no row for a');
    const next = batcher.load('b');
    await drain(statements, next);
    await expect(next).resolves.toBe('answer to b');
  });
});
