import { startSystem, SystemHarness } from './system-harness';

describe('deadline reminders', () => {
  let system: SystemHarness;

  beforeAll(async () => {
    system = await startSystem({ today: '2026-03-02' });
  });
  afterAll(() => system.close());

  it('reminds the owner 14 days before the due date, once, with the action, its recommendation and a link', async () => {
    const world = await system.api.factories.world({ dueDate: '2026-03-16' });
    await system.runReminders('2026-03-02T07:00:00Z');
    const mail = system.smtp.to(world.manager.email);
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toContain('coming up');
    expect(mail[0].text).toContain('Due Monday 16 March 2026 (in 14 days)');
    expect(mail[0].text).toContain(`http://tracker.test/actions/${world.action.id}`);
    expect(mail[0].html).toContain(`href="http://tracker.test/actions/${world.action.id}"`);

    await system.runReminders('2026-03-02T07:00:00Z');
    expect(system.smtp.to(world.manager.email)).toHaveLength(1);
  });
});
