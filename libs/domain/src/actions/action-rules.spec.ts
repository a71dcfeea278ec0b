import fc from 'fast-check';
import { Role, ROLES } from '../access/roles';
import { addDays } from '../shared/dates';
import { DomainException } from '../shared/domain.exception';
import { ACTION_STATUSES, ActionStatus, UpdateActionInput } from './action';
import { ActionState, daysOverdue, planActionUpdate, ragOf, TRANSITIONS } from './action-rules';

const TODAY = '2026-03-02';

const action = (status: ActionStatus, dueDate: string, progress = 0) => ({ status, dueDate, progress });

const state = (overrides: Partial<ActionState> = {}): ActionState => ({
  title: 'Deliver risk of harm training',
  description: null,
  ownerId: 'owner-1',
  dueDate: '2026-04-30',
  status: 'in_progress',
  progress: 40,
  evidence: null,
  ...overrides,
});

/** The refusal planActionUpdate throws, so a test can name the rule it expects. */
function refusal(fn: () => unknown): DomainException {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainException) return error;
    throw error;
  }
  throw new Error('expected the update to be refused');
}

describe('ragOf', () => {
  it.each([
    ['not started, due in a month', action('not_started', '2026-04-02'), 'green'],
    ['in progress, due in a month', action('in_progress', '2026-04-02', 10), 'green'],
    ['due yesterday', action('in_progress', '2026-03-01', 90), 'red'],
    ['due yesterday, not started', action('not_started', '2026-03-01'), 'red'],
    ['due a year ago', action('in_progress', '2025-03-02', 99), 'red'],
    ['blocked, due next year', action('blocked', '2027-03-02', 80), 'red'],
    ['blocked, due today', action('blocked', TODAY, 0), 'red'],
    ['due today with progress 0 (not overdue yet)', action('in_progress', TODAY, 0), 'amber'],
    ['due today with progress 50', action('in_progress', TODAY, 50), 'green'],
    ['due in exactly 14 days, progress 49', action('in_progress', '2026-03-16', 49), 'amber'],
    ['due in exactly 14 days, progress 50', action('in_progress', '2026-03-16', 50), 'green'],
    ['due in 15 days, progress 0', action('not_started', '2026-03-17', 0), 'green'],
    ['due tomorrow, progress 49', action('not_started', '2026-03-03', 49), 'amber'],
    ['completed, even when late', action('completed', '2025-01-01', 100), 'complete'],
    ['completed, due later', action('completed', '2027-01-01', 100), 'complete'],
    ['verified, even when late', action('verified', '2025-01-01', 100), 'complete'],
    ['cancelled is not rated', action('cancelled', '2025-01-01', 0), null],
    ['cancelled, due later', action('cancelled', '2027-01-01', 0), null],
  ])('%s → %s', (_, a, rag) => {
    expect(ragOf(a, TODAY)).toBe(rag);
  });

  it('counts the amber window in calendar days across month and year ends', () => {
    expect(ragOf(action('in_progress', '2027-01-11', 0), '2026-12-28')).toBe('amber');
    expect(ragOf(action('in_progress', '2027-01-12', 0), '2026-12-28')).toBe('green');
    // 2028 is a leap year: 14 days after 15 February is 29 February.
    expect(ragOf(action('in_progress', '2028-02-29', 0), '2028-02-15')).toBe('amber');
    expect(ragOf(action('in_progress', '2028-03-01', 0), '2028-02-15')).toBe('green');
  });

  const isoDates = fc
    .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10));
  const workingStatus = fc.constantFrom<ActionStatus>('not_started', 'in_progress');
  const progress = fc.integer({ min: 0, max: 100 });

  it('is never amber for a due date more than 14 days away', () => {
    fc.assert(
      fc.property(isoDates, fc.integer({ min: 15, max: 3000 }), workingStatus, progress, (today, ahead, status, p) => {
        expect(ragOf(action(status, addDays(today, ahead), p), today)).toBe('green');
      }),
    );
  });

  it('is red for every open action past its due date, whatever its progress', () => {
    fc.assert(
      fc.property(
        isoDates,
        fc.integer({ min: 1, max: 3000 }),
        fc.constantFrom<ActionStatus>('not_started', 'in_progress', 'blocked'),
        progress,
        (today, late, status, p) => {
          expect(ragOf(action(status, addDays(today, -late), p), today)).toBe('red');
        },
      ),
    );
  });

  it('is amber exactly when due within 14 days (today included) with progress under 50', () => {
    fc.assert(
      fc.property(isoDates, fc.integer({ min: 0, max: 14 }), workingStatus, progress, (today, ahead, status, p) => {
        expect(ragOf(action(status, addDays(today, ahead), p), today)).toBe(p < 50 ? 'amber' : 'green');
      }),
    );
  });
});

describe('daysOverdue', () => {
  it.each([
    ['due today', action('in_progress', TODAY), 0],
    ['due tomorrow', action('in_progress', '2026-03-03'), 0],
    ['due yesterday', action('in_progress', '2026-03-01'), 1],
    ['blocked, due 10 days ago', action('blocked', '2026-02-20'), 10],
    ['not started, due across February', action('not_started', '2026-01-31'), 30],
    ['due a year ago', action('not_started', '2025-03-02'), 365],
    ['completed late is no longer overdue', action('completed', '2026-01-01'), 0],
    ['verified late is no longer overdue', action('verified', '2026-01-01'), 0],
    ['cancelled is never overdue', action('cancelled', '2026-01-01'), 0],
  ])('%s → %d', (_, a, days) => {
    expect(daysOverdue(a, TODAY)).toBe(days);
  });
});

describe('TRANSITIONS', () => {
  // DOMAIN.md: not_started → in_progress ⇄ blocked → completed → verified; completed or verified can be reopened
  // to in_progress; cancelled (with a reason) from any unfinished status; cancelled is final.
  const EXPECTED: Record<ActionStatus, ActionStatus[]> = {
    not_started: ['in_progress', 'cancelled'],
    in_progress: ['blocked', 'completed', 'cancelled'],
    blocked: ['in_progress', 'completed', 'cancelled'],
    completed: ['in_progress', 'verified', 'cancelled'],
    verified: ['in_progress'],
    cancelled: [],
  };
  const pairs = ACTION_STATUSES.flatMap((from) =>
    ACTION_STATUSES.filter((to) => to !== from).map((to) => [from, to, EXPECTED[from].includes(to)] as const),
  );

  it('has an entry for every status and nothing else', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...ACTION_STATUSES].sort());
  });

  it.each(pairs)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(TRANSITIONS[from].includes(to)).toBe(allowed);
  });

  it.each(pairs)('an admin moving %s → %s (with a comment) is allowed: %s', (from, to, allowed) => {
    const plan = () =>
      planActionUpdate('admin', state({ status: from, progress: 100 }), { status: to, comment: 'Agreed at board' });
    if (allowed) {
      expect(plan().next.status).toBe(to);
    } else {
      const error = refusal(plan);
      expect(error.code).toBe('rule_violated');
      expect(error.rule).toBe('status-transition');
      expect(error.message).toContain(`an action that is ${from} cannot become ${to}`);
    }
  });
});

describe('planActionUpdate', () => {
  it('plans a progress update with its comment, listing only what changed', () => {
    const plan = planActionUpdate('senior_manager', state({ progress: 40 }), {
      progress: 60,
      title: 'Deliver risk of harm training',
      comment: '  Audit tool agreed  ',
    });
    expect(plan.changes).toEqual([{ field: 'progress', from: 40, to: 60 }]);
    expect(plan.comment).toBe('Audit tool agreed');
    expect(plan.next).toEqual(state({ progress: 60 }));
  });

  it('gives no changes for a no-op update, and keeps a comment on its own', () => {
    const current = state();
    expect(planActionUpdate('senior_manager', current, {}).changes).toEqual([]);
    const same = planActionUpdate('senior_manager', current, { ...current, title: ` ${current.title} ` });
    expect(same.changes).toEqual([]);
    expect(same.comment).toBeNull();
    const comment = planActionUpdate('performance_manager', current, { comment: 'Checked at the quarterly review' });
    expect(comment.changes).toEqual([]);
    expect(comment.comment).toBe('Checked at the quarterly review');
  });

  it('treats a blank comment as no comment', () => {
    expect(planActionUpdate('senior_manager', state(), { progress: 50, comment: '   ' }).comment).toBeNull();
  });

  it('records unassigning and clearing fields as changes to null', () => {
    const plan = planActionUpdate('senior_manager', state({ evidence: 'Minutes' }), { ownerId: null, evidence: null });
    expect(plan.changes).toEqual([
      { field: 'ownerId', from: 'owner-1', to: null },
      { field: 'evidence', from: 'Minutes', to: null },
    ]);
  });

  describe('completing', () => {
    it('sets progress to 100', () => {
      const plan = planActionUpdate('senior_manager', state({ status: 'in_progress', progress: 70 }), {
        status: 'completed',
      });
      expect(plan.next).toMatchObject({ status: 'completed', progress: 100 });
      expect(plan.changes).toEqual([
        { field: 'status', from: 'in_progress', to: 'completed' },
        { field: 'progress', from: 70, to: 100 },
      ]);
    });

    it('sets progress to 100 when a blocked action is completed', () => {
      const plan = planActionUpdate('senior_manager', state({ status: 'blocked', progress: 20 }), {
        status: 'completed',
      });
      expect(plan.next.progress).toBe(100);
    });

    it('refuses completing with progress under 100', () => {
      const error = refusal(() =>
        planActionUpdate('senior_manager', state({ status: 'in_progress' }), { status: 'completed', progress: 80 }),
      );
      expect(error.rule).toBe('completed-means-100');
      expect(error.errors).toEqual([{ field: 'progress', message: 'a completed action has progress 100' }]);
    });

    it('refuses lowering the progress of a completed action', () => {
      const error = refusal(() =>
        planActionUpdate('senior_manager', state({ status: 'completed', progress: 100 }), { progress: 90 }),
      );
      expect(error.rule).toBe('completed-means-100');
    });
  });

  describe('verifying', () => {
    const completed = state({ status: 'completed', progress: 100 });

    it.each<Role>(['performance_manager', 'admin'])('is open to a %s', (role) => {
      const plan = planActionUpdate(role, completed, { status: 'verified' });
      expect(plan.changes).toEqual([{ field: 'status', from: 'completed', to: 'verified' }]);
    });

    it.each<Role>(['senior_manager', 'viewer'])('is refused to a %s', (role) => {
      const error = refusal(() => planActionUpdate(role, completed, { status: 'verified' }));
      expect(error.rule).toBe('verify-needs-performance-manager');
    });

    it('needs the action completed first, even for a performance manager', () => {
      const error = refusal(() => planActionUpdate('performance_manager', state(), { status: 'verified' }));
      expect(error.rule).toBe('status-transition');
    });
  });

  describe('reopening', () => {
    const verified = state({ status: 'verified', progress: 100 });
    const completed = state({ status: 'completed', progress: 100 });

    it.each<Role>(['performance_manager', 'admin'])('a verified action is open to a %s with a reason', (role) => {
      const plan = planActionUpdate(role, verified, { status: 'in_progress', comment: 'Evidence did not hold up' });
      expect(plan.changes).toEqual([{ field: 'status', from: 'verified', to: 'in_progress' }]);
      expect(plan.comment).toBe('Evidence did not hold up');
    });

    it('a verified action is refused to a senior manager, reason or not', () => {
      const error = refusal(() =>
        planActionUpdate('senior_manager', verified, { status: 'in_progress', comment: 'More to do' }),
      );
      expect(error.rule).toBe('reopen-verified-needs-performance-manager');
    });

    it.each<[Role, ActionState]>([
      ['admin', verified],
      ['performance_manager', verified],
      ['senior_manager', completed],
      ['performance_manager', completed],
    ])('needs a reason (%s, from %o)', (role, current) => {
      const error = refusal(() => planActionUpdate(role, current, { status: 'in_progress', comment: ' ' }));
      expect(error.rule).toBe('reopen-needs-reason');
      expect(error.errors[0].field).toBe('comment');
    });

    it('a completed action is open to its senior manager with a reason', () => {
      const plan = planActionUpdate('senior_manager', completed, { status: 'in_progress', comment: 'Audit failed' });
      expect(plan.next.status).toBe('in_progress');
    });
  });

  describe('cancelling', () => {
    it('needs a reason', () => {
      const error = refusal(() => planActionUpdate('senior_manager', state(), { status: 'cancelled' }));
      expect(error.rule).toBe('cancel-needs-reason');
      expect(error.errors).toEqual([
        { field: 'comment', message: 'cancelling an action needs a comment giving the reason' },
      ]);
    });

    it('is allowed with a reason', () => {
      const plan = planActionUpdate('senior_manager', state(), {
        status: 'cancelled',
        comment: 'Superseded by the new plan',
      });
      expect(plan.changes).toEqual([{ field: 'status', from: 'in_progress', to: 'cancelled' }]);
    });
  });

  describe('moving the due date', () => {
    it('needs a reason', () => {
      const error = refusal(() => planActionUpdate('senior_manager', state(), { dueDate: '2026-06-30' }));
      expect(error.rule).toBe('due-date-change-needs-reason');
      expect(error.errors[0].field).toBe('comment');
    });

    it('is allowed with a reason', () => {
      const plan = planActionUpdate('senior_manager', state(), { dueDate: '2026-06-30', comment: 'Staff shortage' });
      expect(plan.changes).toEqual([{ field: 'dueDate', from: '2026-04-30', to: '2026-06-30' }]);
    });

    it('needs no reason when the date given is the same', () => {
      expect(planActionUpdate('senior_manager', state(), { dueDate: '2026-04-30' }).changes).toEqual([]);
    });
  });

  describe('closed actions are read-only', () => {
    it.each<[string, UpdateActionInput]>([
      ['title', { title: 'New title' }],
      ['progress', { progress: 50 }],
      ['evidence', { evidence: 'More minutes' }],
      ['ownerId', { ownerId: 'owner-2' }],
    ])('a verified action refuses a change to %s', (field, input) => {
      const error = refusal(() =>
        planActionUpdate('admin', state({ status: 'verified', progress: 100 }), { ...input, comment: 'x' }),
      );
      expect(error.rule).toBe('closed-action-is-read-only');
      expect(error.errors[0]).toMatchObject({ field, message: 'a verified action cannot be edited; reopen it first' });
    });

    it('a cancelled action refuses edits', () => {
      const error = refusal(() =>
        planActionUpdate('senior_manager', state({ status: 'cancelled' }), { title: 'Revived' }),
      );
      expect(error.rule).toBe('closed-action-is-read-only');
      expect(error.message).toBe('a cancelled action cannot be edited');
    });

    it('a cancelled action cannot be reopened', () => {
      const error = refusal(() =>
        planActionUpdate('admin', state({ status: 'cancelled' }), { status: 'in_progress', comment: 'Revived' }),
      );
      expect(error.rule).toBe('status-transition');
      expect(error.message).toContain('it is closed');
    });

    it('a verified action still takes a comment', () => {
      const plan = planActionUpdate('performance_manager', state({ status: 'verified', progress: 100 }), {
        comment: 'Seen at the follow-up visit',
      });
      expect(plan.changes).toEqual([]);
    });
  });

  describe('performance managers', () => {
    it.each<[string, ActionState, UpdateActionInput]>([
      ['progress', state(), { progress: 80 }],
      ['title', state(), { title: 'Better title' }],
      ['evidence', state(), { evidence: 'Minutes' }],
      ['owner', state(), { ownerId: 'owner-2' }],
      ['due date', state(), { dueDate: '2026-05-31', comment: 'Agreed' }],
      ['status to blocked', state(), { status: 'blocked' }],
      ['status to in progress', state({ status: 'not_started', progress: 0 }), { status: 'in_progress' }],
      ['status to completed', state(), { status: 'completed' }],
      ['status to cancelled', state(), { status: 'cancelled', comment: 'Not needed' }],
      ['the title while verifying', state({ status: 'completed', progress: 100 }), { status: 'verified', title: 'X' }],
    ])('may not change %s', (_, current, input) => {
      const error = refusal(() => planActionUpdate('performance_manager', current, input));
      expect(error.code).toBe('forbidden');
      expect(error.message).toContain('performance managers can verify, reopen or comment');
    });
  });

  it('reports every rule by name through a DomainException with a field', () => {
    const error = refusal(() => planActionUpdate('senior_manager', state(), { status: 'verified' }));
    expect(error).toBeInstanceOf(DomainException);
    expect(error.errors).toHaveLength(1);
    expect(error.errors[0].field).toBe('status');
  });

  it('given its own result again, plans no further change', () => {
    const statuses = fc.constantFrom(...ACTION_STATUSES);
    const input = fc.record(
      {
        title: fc.constantFrom('Train staff', ' Train staff '),
        dueDate: fc.constantFrom('2026-04-30', '2026-05-31'),
        status: statuses,
        progress: fc.integer({ min: 0, max: 100 }),
        evidence: fc.constantFrom(null, 'Minutes'),
        comment: fc.constantFrom('Agreed at board', ''),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.constantFrom(...ROLES), statuses, input, (role, status, change) => {
        const current = state({ status, progress: status === 'completed' || status === 'verified' ? 100 : 30 });
        let plan;
        try {
          plan = planActionUpdate(role, current, change);
        } catch (error) {
          expect(error).toBeInstanceOf(DomainException);
          return;
        }
        const again = planActionUpdate(role, plan.next, { ...plan.next, comment: undefined });
        expect(again.changes).toEqual([]);
        expect(plan.changes.map((c) => c.field)).toEqual(
          Object.keys(plan.next).filter((f) => plan.next[f as keyof ActionState] !== current[f as keyof ActionState]),
        );
      }),
    );
  });
});
