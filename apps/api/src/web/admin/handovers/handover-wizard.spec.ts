import {
  allocationErrorSummary,
  allocationShown,
  handoverInput,
  HandoverWizardState,
  parseAllocations,
  parseStart,
  parseSuccessors,
  readStartForm,
  startFormFrom,
  withStart,
} from './handover-wizard';

const KENT = 'a0000000-0000-4000-8000-000000000001';
const SURREY = 'a0000000-0000-4000-8000-000000000002';
const NPS = 'b0000000-0000-4000-8000-000000000001';
const CRC = 'b0000000-0000-4000-8000-000000000002';
const R1 = 'c0000000-0000-4000-8000-000000000001';
const R2 = 'c0000000-0000-4000-8000-000000000002';

const start = (fields: Record<string, string | string[]>) =>
  readStartForm({
    fromOrganisationIds: [KENT],
    'effectiveOn-day': '1',
    'effectiveOn-month': '6',
    'effectiveOn-year': '2014',
    kind: 'split',
    dissolvePredecessors: 'yes',
    ...fields,
  });

const state: HandoverWizardState = {
  id: 'w',
  fromOrganisationIds: [KENT],
  effectiveOn: '2014-06-01',
  kind: 'split',
  dissolvePredecessors: true,
  successorIds: [NPS, CRC],
  allocations: { [R1]: NPS, [R2]: CRC },
};

describe('the hand-over wizard', () => {
  it('(a) reads who hands over, when, how, and whether they are dissolved', () => {
    expect(parseStart(start({}), new Set([KENT, SURREY]))).toEqual({
      ok: true,
      value: { fromOrganisationIds: [KENT], effectiveOn: '2014-06-01', kind: 'split', dissolvePredecessors: true },
    });
    expect(
      parseStart(
        start({ dissolvePredecessors: 'no', fromOrganisationIds: [KENT, SURREY, KENT] }),
        new Set([KENT, SURREY]),
      ),
    ).toMatchObject({ ok: true, value: { fromOrganisationIds: [KENT, SURREY], dissolvePredecessors: false } });
  });

  it('(a) names each missing or wrong answer', () => {
    const none = parseStart(readStartForm({}), new Set([KENT]));
    expect(none.ok ? {} : none.errors).toEqual({
      fromOrganisationIds: 'Select the organisation or organisations handing over',
      effectiveOn: 'Enter the effective date',
      kind: 'Select the kind of restructuring',
      dissolvePredecessors: 'Select whether the organisations handing over are dissolved',
    });
    const unknown = parseStart(start({ fromOrganisationIds: [NPS] }), new Set([KENT]));
    expect(unknown.ok ? {} : unknown.errors).toEqual({ fromOrganisationIds: 'Select organisations from the list' });
  });

  it('(a) keeps later answers that still fit, and forgets allocations when the organisations handing over change', () => {
    const same = withStart(state, { ...state, effectiveOn: '2014-06-02' }, 'new');
    expect(same).toEqual({ ...state, effectiveOn: '2014-06-02' });
    const other = withStart(state, { ...state, fromOrganisationIds: [KENT, NPS] }, 'new');
    expect(other).toMatchObject({ id: 'w', successorIds: [CRC], allocations: {} });
    expect(withStart(undefined, { ...state }, 'new')).toMatchObject({ id: 'new', successorIds: [], allocations: {} });
    expect(startFormFrom(state)).toMatchObject({
      'effectiveOn-day': '1',
      'effectiveOn-month': '6',
      dissolvePredecessors: 'yes',
    });
    expect(startFormFrom(undefined)).toMatchObject({
      kind: 'split',
      dissolvePredecessors: 'yes',
      fromOrganisationIds: [],
    });
  });

  it('(b) needs at least one successor from the list', () => {
    expect(parseSuccessors([NPS, CRC, NPS], new Set([NPS, CRC]))).toEqual({ ok: true, value: [NPS, CRC] });
    expect(parseSuccessors([], new Set([NPS]))).toEqual({
      ok: false,
      errors: { successorIds: 'Select the organisation or organisations taking over' },
    });
    expect(parseSuccessors([KENT], new Set([NPS]))).toEqual({
      ok: false,
      errors: { successorIds: 'Select organisations from the list' },
    });
  });

  it('(c) needs a successor for every open recommendation, naming each one missing', () => {
    const open = [
      { id: R1, reference: 'R1' },
      { id: R2, reference: 'R2' },
    ];
    expect(parseAllocations({ [`allocation-${R1}`]: NPS, [`allocation-${R2}`]: CRC }, open, [NPS, CRC])).toEqual({
      ok: true,
      value: { [R1]: NPS, [R2]: CRC },
    });
    const missing = parseAllocations({ [`allocation-${R1}`]: KENT }, open, [NPS, CRC]);
    expect(missing.ok ? {} : missing.errors).toEqual({
      [`allocation-${R1}`]: 'Select who takes over R1',
      [`allocation-${R2}`]: 'Select who takes over R2',
    });
    expect(allocationErrorSummary(missing.ok ? {} : missing.errors, open).map((e) => e.href)).toEqual([
      `#allocation-${R1}`,
      `#allocation-${R2}`,
    ]);
    expect(parseAllocations({}, [], [NPS])).toEqual({ ok: true, value: {} });
  });

  it('(c) shows the answer kept, or the only successor', () => {
    expect(allocationShown(state, R1)).toBe(NPS);
    expect(allocationShown({ ...state, allocations: {} }, R1)).toBe('');
    expect(allocationShown({ ...state, successorIds: [CRC], allocations: { [R1]: NPS } }, R1)).toBe(CRC);
  });

  it('(d) gives the service the hand-over, with the only successor as the default', () => {
    expect(handoverInput(state)).toEqual({
      fromOrganisationIds: [KENT],
      effectiveOn: '2014-06-01',
      kind: 'split',
      dissolvePredecessors: true,
      allocations: [
        { recommendationId: R1, toOrganisationId: NPS },
        { recommendationId: R2, toOrganisationId: CRC },
      ],
      defaultToOrganisationId: null,
    });
    // An allocation to an organisation no longer chosen is dropped.
    expect(handoverInput({ ...state, successorIds: [CRC] })).toMatchObject({
      allocations: [{ recommendationId: R2, toOrganisationId: CRC }],
      defaultToOrganisationId: CRC,
    });
  });
});
