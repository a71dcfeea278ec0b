import fc from 'fast-check';
import { ActionCounts, RecommendationResponse, RESPONSES } from './recommendation';
import { recommendationProgress, recommendationStatus } from './recommendation-status';

/** Counts as the caller makes them: cancelled actions are left out of every figure. */
const counts = (c: Partial<ActionCounts> & { inProgress?: number } = {}): ActionCounts => {
  const { inProgress = 0, ...rest } = c;
  const notStarted = rest.notStarted ?? 0;
  const completed = rest.completed ?? 0;
  const verified = rest.verified ?? 0;
  return {
    total: notStarted + inProgress + completed + verified,
    notStarted,
    completed,
    verified,
    overdue: rest.overdue ?? 0,
  };
};

describe('recommendationStatus', () => {
  it.each<[string, RecommendationResponse, ActionCounts, string]>([
    ['accepted, no actions yet', 'accepted', counts(), 'not_started'],
    ['pending response, no actions', 'pending', counts(), 'not_started'],
    ['every action not started', 'accepted', counts({ notStarted: 3 }), 'not_started'],
    ['one action under way', 'accepted', counts({ notStarted: 2, inProgress: 1 }), 'in_progress'],
    ['one of three completed', 'accepted', counts({ notStarted: 2, completed: 1 }), 'in_progress'],
    ['all but one done', 'partially_accepted', counts({ inProgress: 1, completed: 1, verified: 1 }), 'in_progress'],
    ['every action completed', 'accepted', counts({ completed: 3 }), 'implemented'],
    ['completed and verified mixed', 'accepted', counts({ completed: 1, verified: 2 }), 'implemented'],
    ['a single completed action', 'partially_accepted', counts({ completed: 1 }), 'implemented'],
    ['every action verified', 'accepted', counts({ verified: 3 }), 'verified'],
    ['a single verified action', 'accepted', counts({ verified: 1 }), 'verified'],
    ['not accepted, with no actions', 'not_accepted', counts(), 'not_accepted'],
    ['not accepted wins over any actions left behind', 'not_accepted', counts({ verified: 2 }), 'not_accepted'],
  ])('%s → %s', (_, response, c, status) => {
    expect(recommendationStatus(response, c)).toBe(status);
  });

  it('leaves cancelled actions out: a plan whose other actions are all verified is verified', () => {
    // Three actions, one cancelled: the caller counts two, both verified.
    expect(recommendationStatus('accepted', counts({ verified: 2 }))).toBe('verified');
  });

  it('is implemented or verified only when every counted action is done', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...RESPONSES.filter((r) => r !== 'not_accepted')),
        fc.record({
          notStarted: fc.nat(5),
          inProgress: fc.nat(5),
          completed: fc.nat(5),
          verified: fc.nat(5),
        }),
        (response, c) => {
          const status = recommendationStatus(response, counts(c));
          const done = c.completed + c.verified;
          const total = done + c.notStarted + c.inProgress;
          expect(status === 'implemented' || status === 'verified').toBe(total > 0 && done === total);
          expect(status === 'verified').toBe(total > 0 && c.verified === total);
        },
      ),
    );
  });
});

describe('recommendationProgress', () => {
  it('reports the counts and the share done, completed and verified together', () => {
    expect(recommendationProgress(counts({ notStarted: 1, completed: 1, verified: 2, overdue: 1 }))).toEqual({
      total: 4,
      completed: 1,
      verified: 2,
      overdue: 1,
      percentComplete: 75,
    });
  });

  it.each([
    [counts(), 0],
    [counts({ notStarted: 3 }), 0],
    [counts({ notStarted: 2, completed: 1 }), 33],
    [counts({ notStarted: 1, completed: 2 }), 66],
    [counts({ notStarted: 1, verified: 2 }), 66],
    [counts({ inProgress: 1, completed: 199 }), 99],
    [counts({ completed: 3 }), 100],
    [counts({ verified: 1 }), 100],
  ])('floors the percentage (%o → %d)', (c, percent) => {
    expect(recommendationProgress(c).percentComplete).toBe(percent);
  });

  it('reaches 100 only when every counted action is done', () => {
    fc.assert(
      fc.property(fc.nat(1000), fc.nat(1000), fc.nat(1000), (open, completed, verified) => {
        const { percentComplete } = recommendationProgress(counts({ inProgress: open, completed, verified }));
        const total = open + completed + verified;
        expect(percentComplete === 100).toBe(total > 0 && open === 0);
        expect(Number.isInteger(percentComplete)).toBe(true);
      }),
    );
  });
});
