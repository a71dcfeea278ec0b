import { readdirSync } from 'node:fs';
import { MIGRATIONS } from './index';

describe('the migration list', () => {
  it('names every migration file, in timestamp order', () => {
    const files = readdirSync(__dirname)
      .filter((f) => /^\d{13}-[a-z0-9-]+\.ts$/.test(f))
      .sort();
    const stamps = MIGRATIONS.map((m) => m.name.slice(-13));
    expect(stamps).toEqual(files.map((f) => f.slice(0, 13)));
  });
});
