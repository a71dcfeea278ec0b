import { ApiHarness, startApi } from './api-harness';

const DEMO_PASSWORD = 'demo-password-2014';
const EFFECTIVE_ON = '2014-06-01';

/**
 * The demo story's hand-over, on the demo data itself: in June 2014 Kent Probation Trust's open recommendations
 * are split between the NPS South East and Eastern Division and the Kent, Surrey and Sussex CRC.
 */
describe('hand-over after a restructuring', () => {
  let api: ApiHarness;
  const org = {} as Record<'kent' | 'nps' | 'crc' | 'london', string>;
  const t = {} as Record<'admin' | 'pm' | 'pmOther' | 'kentSm' | 'kentViewer' | 'crcSm' | 'npsSm', string>;
  const user = {} as Record<'crcSm' | 'kentSm', string>;
  const rec = {} as Record<string, string>;
  let closedId: string;
  const as = (who: keyof typeof t) => ({ Authorization: `Bearer ${t[who]}` });

  const demoToken = (email: string) => api.tokenFor({ email, password: DEMO_PASSWORD });
  const post = (body: unknown, who: keyof typeof t = 'pm', query = '') =>
    api
      .http()
      .post(`/api/v1/handovers${query}`)
      .set(as(who))
      .send(body as object);
  const split = () => ({
    fromOrganisationIds: [org.kent],
    effectiveOn: EFFECTIVE_ON,
    kind: 'split',
    // Risk of harm and child protection work with people posing a high risk went to the NPS; the rest to the CRC.
    allocations: [
      { recommendationId: rec.R1, toOrganisationId: org.nps },
      { recommendationId: rec.R2, toOrganisationId: org.nps },
    ],
    defaultToOrganisationId: org.crc,
    dissolvePredecessors: true,
  });

  /** Every row of the tables a hand-over touches, as text: equal before and after means nothing changed. */
  const tables = async () => {
    const out: Record<string, string> = {};
    for (const table of [
      'organisations',
      'organisation_successors',
      'recommendations',
      'recommendation_updates',
      'actions',
      'action_updates',
      'outbox',
      'handovers',
      'handover_organisations',
      'handover_moves',
    ]) {
      const { rows } = await api.pool.query(
        `SELECT coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '') AS s FROM ${table} t`,
      );
      out[table] = rows[0].s;
    }
    return out;
  };

  beforeAll(async () => {
    api = await startApi({ env: { SEED_DEMO: 'true', DEMO_PASSWORD } });
    const { rows: orgs } = await api.pool.query(`SELECT id, name FROM organisations`);
    const byName = (name: string) => orgs.find((o) => o.name === name)!.id as string;
    org.kent = byName('Kent Probation Trust');
    org.nps = byName('National Probation Service – South East and Eastern Division');
    org.crc = byName('Kent, Surrey and Sussex Community Rehabilitation Company');
    org.london = byName('National Probation Service – London Division');
    const { rows: recs } = await api.pool.query(
      `SELECT id, reference, inspection_id FROM recommendations WHERE owner_organisation_id = $1`,
      [org.kent],
    );
    for (const r of recs) rec[r.reference] = r.id;
    // A closed recommendation (not accepted): it stays with the Trust.
    closedId = (
      await api.factories.recommendation({
        inspectionId: recs[0].inspection_id,
        ownerOrganisationId: org.kent,
        reference: 'R9',
        response: 'not_accepted',
        responseRationale: 'Outside the Trust’s remit.',
      })
    ).id;
    t.admin = await api.tokenFor(await api.factories.user({ role: 'admin' }));
    t.pm = await demoToken('performance.manager.south-east@example.org');
    t.pmOther = await demoToken('account.manager.national@example.org');
    t.kentSm = await demoToken('head.public.protection@kent.example.org');
    t.kentViewer = await demoToken('board.secretary@kent.example.org');
    t.crcSm = await demoToken('director.operations@kss-crc.example.org');
    t.npsSm = await demoToken('head.public.protection@nps-see.example.org');
    const { rows: users } = await api.pool.query(`SELECT id, email FROM users`);
    user.crcSm = users.find((u) => u.email === 'director.operations@kss-crc.example.org').id;
    user.kentSm = users.find((u) => u.email === 'head.public.protection@kent.example.org').id;
  });
  afterAll(() => api?.close());

  it('starts from the demo story: the Trust active with five open recommendations', async () => {
    expect(Object.keys(rec).sort()).toEqual(['R1', 'R2', 'R3', 'R4', 'R5']);
    const kent = await api.http().get(`/api/v1/organisations/${org.kent}`).set(as('pm')).expect(200);
    expect(kent.body).toMatchObject({ status: 'active', successorIds: [] });
  });

  describe('refused before anything changes', () => {
    it('answers 400 naming each bad field', async () => {
      const res = await post({
        fromOrganisationIds: ['nope'],
        effectiveOn: '2014-02-30',
        kind: 'merger',
        allocations: [{ recommendationId: 'x', toOrganisationId: org.crc }],
        surprise: 1,
      }).expect(400);
      const fields = res.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(
        expect.arrayContaining([
          'fromOrganisationIds',
          'effectiveOn',
          'kind',
          'allocations[0].recommendationId',
          'surprise',
        ]),
      );
      await post({ ...split(), allocations: 'all' }).expect(400);
      await post(split(), 'pm', '?dryRun=maybe').expect(400);
      await api.http().post('/api/v1/handovers').set(as('pm')).send([]).expect(400);
    });

    it('keeps roles without the capability out (403) and other portfolios out (404)', async () => {
      await post(split(), 'crcSm').expect(403);
      await post(split(), 'kentViewer').expect(403);
      await post(split(), 'pmOther').expect(404);
      // A successor outside one's portfolio is refused, naming the field.
      const res = await post({ ...split(), defaultToOrganisationId: org.london }).expect(422);
      expect(res.body.errors).toEqual([{ field: 'defaultToOrganisationId', message: expect.any(String) }]);
    });

    it('refuses a hand-over leaving open recommendations unallocated, listing them', async () => {
      const before = await tables();
      const res = await post({ ...split(), defaultToOrganisationId: undefined }).expect(422);
      expect(res.body.rule).toBe('open-recommendations-allocated');
      const listed = res.body.errors.map((e: { message: string }) => e.message).join('\n');
      for (const r of ['R3', 'R4', 'R5']) expect(listed).toContain(rec[r]);
      expect(listed).not.toContain(rec.R1);
      expect(await tables()).toEqual(before);
    });

    it('refuses allocating a closed recommendation: closed ones stay', async () => {
      const res = await post({
        ...split(),
        allocations: [...split().allocations, { recommendationId: closedId, toOrganisationId: org.crc }],
      }).expect(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'allocations[2].recommendationId' })]);
    });

    it('dry run answers what would move, with problems, and changes nothing', async () => {
      const before = await tables();
      const res = await post(split(), 'pm', '?dryRun=true').expect(200);
      expect(res.body).toMatchObject({ dryRun: true, ok: true, problems: [], unallocated: [] });
      expect(
        res.body.moves.map((m: { reference: string; toOrganisationId: string }) => [m.reference, m.toOrganisationId]),
      ).toEqual([
        ['R1', org.nps],
        ['R2', org.nps],
        ['R3', org.crc],
        ['R4', org.crc],
        ['R5', org.crc],
      ]);
      expect(res.body.staying).toEqual([
        { recommendationId: closedId, reference: 'R9', organisationId: org.kent, status: 'not_accepted' },
      ]);
      expect(res.body.unassigned.length).toBeGreaterThan(0);
      const bad = await post({ ...split(), defaultToOrganisationId: undefined }, 'pm', '?dryRun=true').expect(200);
      expect(bad.body.ok).toBe(false);
      expect(bad.body.unallocated.map((u: { reference: string }) => u.reference)).toEqual(['R3', 'R4', 'R5']);
      expect(await tables()).toEqual(before);
    });

    it('rolls everything back when the last step fails', async () => {
      const before = await tables();
      // The dissolution is the hand-over's last write: make it fail, after every move has been written.
      await api.pool.query(`
        CREATE FUNCTION test_refuse_dissolution() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.status = 'dissolved' THEN
            RAISE EXCEPTION 'refused by test' USING ERRCODE = 'check_violation';
          END IF;
          RETURN NEW;
        END $$`);
      await api.pool.query(`CREATE TRIGGER test_refuse_dissolution BEFORE UPDATE ON organisations
        FOR EACH ROW EXECUTE FUNCTION test_refuse_dissolution()`);
      try {
        const res = await post(split());
        expect(res.status).toBe(422);
      } finally {
        await api.pool.query(`DROP TRIGGER test_refuse_dissolution ON organisations`);
        await api.pool.query(`DROP FUNCTION test_refuse_dissolution()`);
      }
      expect(await tables()).toEqual(before);
    });
  });

  describe('the split', () => {
    let handover: Record<string, any>;
    let moved: { id: string; owner_id: string | null; status: string }[];
    let kentOwned: string[];

    beforeAll(async () => {
      const { rows } = await api.pool.query(
        `SELECT id FROM actions WHERE organisation_id = $1 AND owner_id IS NOT NULL
           AND status NOT IN ('verified', 'cancelled')`,
        [org.kent],
      );
      kentOwned = rows.map((r) => r.id).sort();
      const res = await post(split()).expect(201);
      handover = res.body;
      moved = (
        await api.pool.query(`SELECT id, owner_id, status FROM actions WHERE recommendation_id = ANY($1::uuid[])`, [
          Object.values(rec),
        ])
      ).rows;
    });

    it('moves every open recommendation and its actions, and records what moved where', async () => {
      expect(handover).toMatchObject({
        kind: 'split',
        effectiveOn: EFFECTIVE_ON,
        predecessorIds: [org.kent],
        successorIds: [org.nps, org.crc].sort(),
        dissolvedPredecessors: true,
        recommendationsMoved: 5,
        actionsMoved: moved.length,
      });
      const { rows } = await api.pool.query(
        `SELECT reference, owner_organisation_id FROM recommendations WHERE inspection_id =
           (SELECT inspection_id FROM recommendations WHERE id = $1) ORDER BY reference`,
        [rec.R1],
      );
      expect(rows.map((r) => [r.reference, r.owner_organisation_id])).toEqual([
        ['R1', org.nps],
        ['R2', org.nps],
        ['R3', org.crc],
        ['R4', org.crc],
        ['R5', org.crc],
        ['R9', org.kent],
      ]);
      const { rows: strays } = await api.pool.query(
        `SELECT count(*)::int AS n FROM actions a JOIN recommendations r ON r.id = a.recommendation_id
         WHERE a.organisation_id <> r.owner_organisation_id`,
      );
      expect(strays[0].n).toBe(0);
      const got = await api.http().get(`/api/v1/handovers/${handover.id}`).set(as('admin')).expect(200);
      expect(got.body.moves).toHaveLength(5);
      expect(got.body.staying.map((s: { reference: string }) => s.reference)).toEqual(['R9']);
    });

    it('unassigns owners who do not belong to the successor, and lists them', async () => {
      expect(handover.unassigned.map((u: { actionId: string }) => u.actionId).sort()).toEqual(kentOwned);
      expect(handover.unassigned[0].previousOwner).toEqual({ id: expect.any(String), name: expect.any(String) });
      for (const a of moved) if (kentOwned.includes(a.id)) expect(a.owner_id).toBeNull();
      // Verified work keeps the name of whoever did it.
      expect(moved.some((a) => a.status === 'verified' && a.owner_id === user.kentSm)).toBe(true);
    });

    it('dissolves the Trust on the effective date with its successors, shown both ways', async () => {
      const kent = await api.http().get(`/api/v1/organisations/${org.kent}`).set(as('pm')).expect(200);
      expect(kent.body).toMatchObject({
        status: 'dissolved',
        dissolvedOn: EFFECTIVE_ON,
        successorIds: [org.nps, org.crc].sort(),
      });
      const crc = await api.http().get(`/api/v1/organisations/${org.crc}`).set(as('crcSm')).expect(200);
      expect(crc.body.predecessorIds).toEqual([org.kent]);
    });

    it("keeps each moved record's history, the move included", async () => {
      const recHistory = await api.http().get(`/api/v1/recommendations/${rec.R3}/updates`).set(as('crcSm')).expect(200);
      const [latest] = recHistory.body.items;
      expect(latest).toMatchObject({
        kind: 'handover',
        handoverId: handover.id,
        actor: { id: expect.any(String), name: 'NOMS Performance Manager, South East' },
        changes: [{ field: 'ownerOrganisationId', from: org.kent, to: org.crc }],
      });
      expect(latest.comment).toContain(EFFECTIVE_ON);
      const action = moved.find((a) => kentOwned.includes(a.id))!;
      const { rows } = await api.pool.query(`SELECT recommendation_id FROM actions WHERE id = $1`, [action.id]);
      const who = [rec.R1, rec.R2].includes(rows[0].recommendation_id) ? 'npsSm' : 'crcSm';
      const history = await api.http().get(`/api/v1/actions/${action.id}/updates`).set(as(who)).expect(200);
      expect(history.body.items[0]).toMatchObject({
        kind: 'handover',
        handoverId: handover.id,
        changes: expect.arrayContaining([
          { field: 'organisationId', from: org.kent, to: expect.any(String) },
          { field: 'ownerId', from: expect.any(String), to: null },
        ]),
      });
      // History from before the move is there too.
      expect(history.body.items.some((u: { kind: string }) => u.kind === 'created')).toBe(true);
    });

    it("lets the CRC's senior manager find the unassigned actions, take one and update it", async () => {
      const list = await api
        .http()
        .get(`/api/v1/actions?organisationId=${org.crc}&owner=none`)
        .set(as('crcSm'))
        .expect(200);
      expect(list.body.items.length).toBeGreaterThan(0);
      expect(list.body.items.every((a: { ownerId: string | null }) => a.ownerId === null)).toBe(true);
      const action = list.body.items.find((a: { status: string }) => a.status !== 'completed') ?? list.body.items[0];
      const current = await api.http().get(`/api/v1/actions/${action.id}`).set(as('crcSm')).expect(200);
      const updated = await api
        .http()
        .patch(`/api/v1/actions/${action.id}`)
        .set(as('crcSm'))
        .set('If-Match', current.headers.etag)
        .send({ ownerId: user.crcSm, comment: 'Taken on by the CRC.' })
        .expect(200);
      expect(updated.body).toMatchObject({ ownerId: user.crcSm, organisationId: org.crc });
      const mine = await api.http().get('/api/v1/actions?owner=me').set(as('crcSm')).expect(200);
      expect(mine.body.items.map((a: { id: string }) => a.id)).toContain(action.id);
    });

    it("shows the Trust's former staff nothing new: moved records are not found", async () => {
      const action = moved[0];
      await api.http().get(`/api/v1/actions/${action.id}`).set(as('kentSm')).expect(404);
      await api.http().get(`/api/v1/actions/${action.id}/updates`).set(as('kentSm')).expect(404);
      const current = await api.http().get(`/api/v1/actions/${action.id}`).set(as('admin')).expect(200);
      await api
        .http()
        .patch(`/api/v1/actions/${action.id}`)
        .set(as('kentSm'))
        .set('If-Match', current.headers.etag)
        .send({ progress: 90 })
        .expect(404);
      await api.http().get(`/api/v1/recommendations/${rec.R3}`).set(as('kentSm')).expect(404);
      await api.http().get(`/api/v1/recommendations/${rec.R3}/updates`).set(as('kentViewer')).expect(404);
      await api.http().get(`/api/v1/handovers/${handover.id}`).set(as('kentSm')).expect(404);
      const list = await api.http().get('/api/v1/handovers').set(as('kentSm')).expect(200);
      expect(list.body.items).toEqual([]);
      const theirs = await api.http().get('/api/v1/actions').set(as('kentSm')).expect(200);
      expect(theirs.body.items).toEqual([]);
      // The closed recommendation stays theirs.
      await api.http().get(`/api/v1/recommendations/${closedId}`).set(as('kentSm')).expect(200);
    });

    it('lets performance managers still read the dissolved Trust; each successor sees its own moves', async () => {
      await api.http().get(`/api/v1/organisations/${org.kent}`).set(as('pm')).expect(200);
      await api.http().get(`/api/v1/recommendations/${closedId}`).set(as('pm')).expect(200);
      const crcView = await api.http().get(`/api/v1/handovers/${handover.id}`).set(as('crcSm')).expect(200);
      expect(crcView.body.moves.map((m: { reference: string }) => m.reference)).toEqual(['R3', 'R4', 'R5']);
      expect(crcView.body.unassigned.every((u: { organisationId: string }) => u.organisationId === org.crc)).toBe(true);
      const list = await api.http().get(`/api/v1/handovers?organisationId=${org.kent}`).set(as('pm')).expect(200);
      expect(list.body.items.map((h: { id: string }) => h.id)).toEqual([handover.id]);
      await api.http().get(`/api/v1/handovers/${handover.id}`).set(as('pmOther')).expect(404);
      await api.http().get('/api/v1/handovers/not-a-uuid').set(as('pm')).expect(400);
    });

    it('writes outbox events naming both organisations for every moved record', async () => {
      const { rows } = await api.pool.query(
        `SELECT event_type, payload FROM outbox WHERE payload ? 'previousOrganisationId'`,
      );
      const recEvents = rows.filter((r) => r.event_type === 'recommendation-changed');
      const actionEvents = rows.filter((r) => r.event_type === 'action-changed');
      expect(recEvents).toHaveLength(5);
      expect(actionEvents).toHaveLength(moved.length);
      for (const e of rows) expect(e.payload.previousOrganisationId).toBe(org.kent);
    });

    it('has nothing left to hand over from the Trust, and a dissolved successor is refused', async () => {
      const again = await post({ ...split(), allocations: [] }, 'pm', '?dryRun=true').expect(200);
      expect(again.body).toMatchObject({ ok: true, moves: [] });
      const other = await api.factories.organisation({ status: 'dissolved', dissolvedOn: '2014-06-01' });
      const { rows } = await api.pool.query(`SELECT id FROM recommendations WHERE owner_organisation_id = $1`, [
        org.crc,
      ]);
      const res = await api
        .http()
        .post('/api/v1/handovers')
        .set(as('admin'))
        .send({
          fromOrganisationIds: [org.crc],
          effectiveOn: '2015-01-01',
          kind: 'merge',
          allocations: [],
          defaultToOrganisationId: other.id,
        })
        .expect(422);
      expect(res.body.rule).toBe('successor-active');
      expect(rows.length).toBeGreaterThan(0);
    });
  });
});
