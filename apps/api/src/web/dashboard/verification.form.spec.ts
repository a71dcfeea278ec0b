import {
  parseVerification,
  readVerificationForm,
  verificationErrors,
  verificationErrorSummary,
} from './verification.form';

describe('the "Verify or reopen" form', () => {
  const form = (fields: Record<string, unknown>) => readVerificationForm({ version: '3', ...fields });

  it('turns "Verify" into the move to verified, with the comment if there is one', () => {
    expect(parseVerification(form({ decision: 'verify' }))).toEqual({
      ok: true,
      decision: 'verify',
      version: 3,
      input: { status: 'verified' },
    });
    expect(parseVerification(form({ decision: 'verify', comment: '  Evidence seen at the March board ' }))).toEqual({
      ok: true,
      decision: 'verify',
      version: 3,
      input: { status: 'verified', comment: 'Evidence seen at the March board' },
    });
  });

  it('turns "Reopen" into the move back to in progress, leaving whether it needs a comment to the domain', () => {
    expect(parseVerification(form({ decision: 'reopen' }))).toEqual({
      ok: true,
      decision: 'reopen',
      version: 3,
      input: { status: 'in_progress' },
    });
    expect(parseVerification(form({ decision: 'reopen', comment: 'No audit' }))).toMatchObject({
      input: { status: 'in_progress', comment: 'No audit' },
    });
  });

  it('refuses an unknown decision and an over-long comment, naming each field', () => {
    expect(parseVerification(form({ decision: 'approve', comment: 'x'.repeat(5001) }))).toEqual({
      ok: false,
      errors: {
        decision: 'Choose whether to verify or reopen the action',
        comment: 'Comment must be 5000 characters or fewer',
      },
    });
  });

  it('passes a version that is not a number on as one no action has, for the domain to call stale', () => {
    const parsed = parseVerification(form({ decision: 'verify', version: 'abc' }));
    expect(parsed.ok && parsed.version).toBeNaN();
  });

  it('reads only strings from the body', () => {
    expect(readVerificationForm({ decision: ['verify', 'reopen'], comment: 3 })).toEqual({
      version: '',
      decision: '',
      comment: '',
    });
    expect(readVerificationForm(null)).toEqual({ version: '', decision: '', comment: '' });
  });

  it('says a domain refusal against the comment or the decision, as a sentence', () => {
    expect(
      verificationErrors({
        message: 'x',
        errors: [{ field: 'comment', message: 'reopening an action needs a comment giving the reason' }],
      }),
    ).toEqual({ comment: 'Reopening an action needs a comment giving the reason' });
    expect(
      verificationErrors({
        message: 'x',
        errors: [{ field: 'status', message: 'an action that is verified cannot become verified' }],
      }),
    ).toEqual({ decision: 'An action that is verified cannot become verified' });
    expect(verificationErrors({ message: 'performance managers can verify…', errors: [] })).toEqual({
      decision: 'Performance managers can verify…',
    });
  });

  it('links each error to that action’s own field', () => {
    expect(verificationErrorSummary('a1', { comment: 'c', decision: 'd' })).toEqual([
      { href: '#decision-a1', text: 'd' },
      { href: '#comment-a1', text: 'c' },
    ]);
  });
});
