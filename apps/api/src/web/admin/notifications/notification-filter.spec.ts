import { londonMidnight, parseNotificationFilter, readNotificationFilter } from './notification-filter';

const ANNE = 'a0000000-0000-4000-8000-000000000001';
const ACTION = 'B0000000-0000-4000-8000-000000000001';
const parse = (query: Record<string, string>) =>
  parseNotificationFilter(readNotificationFilter(query), new Set([ANNE]));

describe('the notification log’s filters', () => {
  it('turns London days into instants, in winter and in summer', () => {
    expect(londonMidnight('2026-03-02')).toBe('2026-03-02T00:00:00.000Z');
    expect(londonMidnight('2026-06-01')).toBe('2026-05-31T23:00:00.000Z');
    // The clocks go forward at 01:00 on 29 March 2026: midnight is still GMT.
    expect(londonMidnight('2026-03-29')).toBe('2026-03-29T00:00:00.000Z');
    expect(londonMidnight('2026-03-30')).toBe('2026-03-29T23:00:00.000Z');
  });

  it('reads every filter, "to" taking in the whole day', () => {
    expect(
      parse({
        recipient: ANNE,
        action: ` ${ACTION} `,
        kind: 'escalation',
        status: 'failed',
        'from-day': '2',
        'from-month': '3',
        'from-year': '2026',
        'to-day': '4',
        'to-month': '3',
        'to-year': '2026',
      }),
    ).toEqual({
      ok: true,
      filter: {
        recipientId: ANNE,
        actionId: ACTION.toLowerCase(),
        kind: 'escalation',
        status: 'failed',
        from: '2026-03-02T00:00:00.000Z',
        to: '2026-03-05T00:00:00.000Z',
      },
    });
    expect(parse({})).toEqual({ ok: true, filter: {} });
  });

  it('names each bad filter', () => {
    const parsed = parse({
      recipient: 'someone',
      action: 'R1',
      kind: 'postcard',
      status: 'lost',
      'from-day': '31',
      'from-month': '2',
      'from-year': '2026',
      'to-day': '1',
    });
    expect(parsed.ok ? [] : Object.keys(parsed.errors)).toEqual([
      'recipient',
      'action',
      'kind',
      'status',
      'from',
      'to',
    ]);
    const backwards = parse({
      'from-day': '5',
      'from-month': '3',
      'from-year': '2026',
      'to-day': '4',
      'to-month': '3',
      'to-year': '2026',
    });
    expect(backwards.ok ? {} : backwards.errors).toEqual({ to: 'To date must be the same as or after the from date' });
  });
});
