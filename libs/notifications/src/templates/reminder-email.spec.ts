import { EmailItem, EmailToSend } from '@rt/domain';
import { renderReminderEmail } from './reminder-email';
import { dateInWords } from './words';

const item = (over: Partial<EmailItem>): EmailItem => ({
  notificationId: 'n1',
  kind: 'reminder',
  reason: 'before',
  occurrence: 3,
  actionId: '00000000-0000-4000-8000-000000000001',
  actionTitle: 'Audit risk management plans',
  recommendationReference: 'R1',
  organisationName: 'Kent Probation Trust',
  dueDate: '2026-03-05',
  daysOverdue: 0,
  recipientRole: 'owner',
  assignedBy: null,
  ...over,
});

const email = (items: EmailItem[]): EmailToSend => ({
  emailKey: 'k',
  recipient: { id: 'u1', name: 'Head of Public Protection', email: 'hpp@example.org' },
  today: '2026-03-02',
  items,
});

describe('the reminder email', () => {
  it('writes dates as GOV.UK does', () => {
    expect(dateInWords('2026-03-13')).toBe('Friday 13 March 2026');
    expect(dateInWords('2014-07-31')).toBe('Thursday 31 July 2014');
  });

  it('lists overdue first, then due today, then coming up, then escalations, in text and HTML', () => {
    const rendered = renderReminderEmail(
      email([
        item({ actionTitle: 'Coming', dueDate: '2026-03-05' }),
        item({ actionTitle: 'Late', dueDate: '2026-02-23', daysOverdue: 7, reason: 'overdue' }),
        item({ actionTitle: 'Today', dueDate: '2026-03-02', reason: 'due' }),
        item({
          actionTitle: 'Escalated',
          kind: 'escalation',
          dueDate: '2026-02-16',
          daysOverdue: 14,
          recipientRole: 'accountable_lead',
        }),
      ]),
      'https://tracker.example.org',
    );
    const order = ['OVERDUE\n', 'DUE TODAY', 'COMING UP', 'OVERDUE ACTIONS ESCALATED TO YOU'].map((h) =>
      rendered.text.indexOf(h),
    );
    expect(order.every((at, i) => at >= 0 && (i === 0 || at > order[i - 1]))).toBe(true);
    expect(rendered.subject).toBe('Recommendation Tracker: 1 overdue, 1 due today, 1 coming up, 1 escalated to you');
    expect(rendered.text).toContain('Was due Monday 23 February 2026: 7 days overdue');
    expect(rendered.text).toContain('Due Thursday 5 March 2026 (in 3 days)');
    expect(rendered.text).toContain('you are the accountable lead for Kent Probation Trust');
    expect(rendered.html).toContain('<h2 style="font-size: 24px; margin: 30px 0 10px 0;">Overdue</h2>');
    expect(rendered.html).toContain('href="https://tracker.example.org/actions/00000000-0000-4000-8000-000000000001"');
  });

  it('escapes what people typed', () => {
    const rendered = renderReminderEmail(
      email([item({ actionTitle: '<script>alert("x")</script> & co', organisationName: 'A & B' })]),
      'https://tracker.example.org',
    );
    expect(rendered.html).not.toContain('<script>');
    expect(rendered.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co');
    expect(rendered.text).toContain('<script>alert("x")</script> & co');
  });

  it('names a lone assignment in the subject', () => {
    const rendered = renderReminderEmail(
      email([item({ kind: 'assignment', reason: 'assigned', actionTitle: 'Run the audit' })]),
      'https://tracker.example.org',
    );
    expect(rendered.subject).toBe('You are now the owner of an action: Run the audit');
    expect(rendered.text).toContain('Someone made you the owner of an action.');
  });

  it('says who made the recipient the owner, when it is known, in text and escaped HTML', () => {
    const rendered = renderReminderEmail(
      email([item({ kind: 'assignment', reason: 'assigned', actionTitle: 'Run the audit', assignedBy: "Jo O'Neill" })]),
      'https://tracker.example.org',
    );
    expect(rendered.text).toContain("  Assigned to you by Jo O'Neill. Due Thursday 5 March 2026 (in 3 days)");
    expect(rendered.text).toContain("Jo O'Neill made you the owner of an action.");
    expect(rendered.text).not.toContain('Someone');
    expect(rendered.html).toContain('Assigned to you by Jo O&#39;Neill. Due Thursday 5 March 2026 (in 3 days)');
    expect(rendered.html).toContain('Jo O&#39;Neill made you the owner of an action.');
  });

  it('names each assigner with their action when assignments from different people travel together', () => {
    const rendered = renderReminderEmail(
      email([
        item({ kind: 'assignment', reason: 'assigned', actionTitle: 'One', assignedBy: 'Jo Bloggs' }),
        item({
          kind: 'assignment',
          reason: 'assigned',
          actionTitle: 'Two',
          actionId: '00000000-0000-4000-8000-000000000002',
          assignedBy: 'Sam Smith',
        }),
      ]),
      'https://tracker.example.org',
    );
    expect(rendered.text).toContain('Assigned to you by Jo Bloggs.');
    expect(rendered.text).toContain('Assigned to you by Sam Smith.');
    expect(rendered.text).toContain('You were made the owner of these actions by the people named with each.');
  });
});
