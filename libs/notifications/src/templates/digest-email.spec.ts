import { DigestAction, DigestOrganisation, DigestSectionName, DigestToSend } from '@rt/domain';
import { renderDigestEmail } from './digest-email';

const action = (over: Partial<DigestAction>): DigestAction => ({
  actionId: 'a1',
  title: 'Audit risk management plans',
  recommendationReference: 'R1',
  dueDate: '2026-03-04',
  progress: 20,
  daysOverdue: 0,
  on: null,
  previousDueDate: null,
  ...over,
});

const sections = (filled: Partial<Record<DigestSectionName, DigestAction[]>>, totals: Record<string, number> = {}) =>
  Object.fromEntries(
    (['newlyOverdue', 'completed', 'verified', 'redated', 'atRisk'] as const).map((s) => [
      s,
      { actions: filled[s] ?? [], total: totals[s] ?? (filled[s] ?? []).length },
    ]),
  ) as DigestOrganisation['sections'];

const kent: DigestOrganisation = {
  id: 'org-kent',
  name: 'Kent Probation Trust',
  percentComplete: 60,
  percentCompleteBefore: 40,
  overdue: 3,
  awaitingVerification: 2,
  sections: sections(
    {
      newlyOverdue: [action({ actionId: 'a1', daysOverdue: 5 })],
      completed: [action({ actionId: 'a2', title: 'Train staff in MAPPA', on: '2026-03-05' })],
      verified: [action({ actionId: 'a3', title: 'Home visits <policy>', on: '2026-03-06' })],
      redated: [
        action({ actionId: 'a4', title: 'Review plans', dueDate: '2026-06-30', previousDueDate: '2026-04-30' }),
      ],
      atRisk: [action({ actionId: 'a5', title: 'Check with social care', dueDate: '2026-03-16', progress: 10 })],
    },
    { atRisk: 30 },
  ),
};
const quiet: DigestOrganisation = {
  id: 'org-quiet',
  name: 'Quiet CRC',
  percentComplete: 50,
  percentCompleteBefore: null,
  overdue: 0,
  awaitingVerification: 0,
  sections: sections({}),
};

const digest: DigestToSend = {
  digestId: 'd1',
  recipient: { id: 'u1', name: 'NOMS Performance Manager', email: 'pm@example.org' },
  weekStart: '2026-03-02',
  weekEnd: '2026-03-08',
  today: '2026-03-09',
  organisations: [kent, quiet],
};

describe('the weekly digest email', () => {
  const email = renderDigestEmail(digest, 'http://tracker.test');

  it('says which week and what changed in the subject', () => {
    expect(email.subject).toBe(
      'Weekly digest, week to Sunday 8 March 2026: 1 newly overdue, 1 awaiting verification, 1 verified, ' +
        '1 re-dated, 30 at risk',
    );
    expect(email.text).toContain(
      'for the 2 organisations in your portfolio, for Monday 2 March 2026 to Sunday 8 March 2026.',
    );
  });

  it('gives each organisation its percent complete, the week’s movement, and a link', () => {
    expect(email.text).toContain(
      'KENT PROBATION TRUST\n60% complete (up 20 points this week, from 40%)\n3 actions overdue, 2 awaiting ' +
        'verification in all\nhttp://tracker.test/organisations/org-kent',
    );
    expect(email.text).toContain('QUIET CRC\n50% complete (no figure recorded for the week before)');
    expect(email.text).toContain('Nothing new this week.');
    expect(email.html).toContain('href="http://tracker.test/organisations/org-kent"');
  });

  it('lists each section with the action, its recommendation, what happened and a link', () => {
    expect(email.text).toContain(
      'Newly overdue (1)\n\n* Audit risk management plans\n  Recommendation R1\n' +
        '  Was due Wednesday 4 March 2026: 5 days overdue\n  http://tracker.test/actions/a1',
    );
    expect(email.text).toContain('Completed and awaiting your verification (1)');
    expect(email.text).toContain('Completed Thursday 5 March 2026');
    expect(email.text).toContain('Verified Friday 6 March 2026');
    expect(email.text).toContain('Due date moved from Thursday 30 April 2026 to Tuesday 30 June 2026');
    expect(email.text).toContain('At risk (amber) (30)');
    expect(email.text).toContain('Due Monday 16 March 2026 (in 7 days), 10% complete');
    expect(email.text).toContain('and 29 more: http://tracker.test/organisations/org-kent');
    const order = ['Newly overdue', 'Completed and awaiting', 'Verified (', 'Re-dated', 'At risk'].map((h) =>
      email.text.indexOf(h),
    );
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('has an accessible HTML part with escaped text, headings and links', () => {
    expect(email.html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(email.html).toContain('<h3 style="font-size: 19px; margin: 20px 0 10px 0;">Newly overdue (1)</h3>');
    expect(email.html).toContain(
      'href="http://tracker.test/actions/a3" style="color: #1d70b8;">Home visits &lt;policy&gt;</a>',
    );
    expect(email.html).not.toContain('<policy>');
  });

  it('says why it was sent and how to stop it', () => {
    expect(email.text).toContain('because you are a performance manager and these organisations are in your portfolio');
    expect(email.text).toContain('You can stop these weekly emails in your settings: http://tracker.test/settings');
  });

  it('says so when there is nothing new, and when an organisation has no actions or fell back', () => {
    const none = renderDigestEmail(
      {
        ...digest,
        organisations: [
          { ...quiet, percentComplete: null },
          { ...quiet, id: 'o3', name: 'Slipping', percentComplete: 45, percentCompleteBefore: 50 },
          { ...quiet, id: 'o4', name: 'Steady', percentComplete: 45, percentCompleteBefore: 45 },
        ],
      },
      'http://tracker.test',
    );
    expect(none.subject).toBe('Weekly digest, week to Sunday 8 March 2026: no changes');
    expect(none.text).toContain('No actions yet');
    expect(none.text).toContain('45% complete (down 5 points this week, from 50%)');
    expect(none.text).toContain('45% complete (no change this week)');
  });
});
