import { OrganisationView } from '@rt/domain';
import {
  emptyOrganisationForm,
  formFromOrganisation,
  organisationErrorSummary,
  parseOrganisation,
  readOrganisationForm,
} from './organisation.form';

const NPS = '3f1f8a5e-0c36-4d51-9a63-9d6c1f2b7a01';
const CRC = '3f1f8a5e-0c36-4d51-9a63-9d6c1f2b7a02';
const choices = new Set([NPS, CRC]);

const form = (fields: Record<string, string | string[]>) =>
  readOrganisationForm({
    ...emptyOrganisationForm(),
    name: 'Kent Probation Trust',
    kind: 'probation_trust',
    region: 'south_east',
    ...fields,
  });

describe('the organisation form', () => {
  it('gives the service the whole record', async () => {
    const parsed = await parseOrganisation(
      form({
        status: 'dissolved',
        'dissolvedOn-day': '31',
        'dissolvedOn-month': '5',
        'dissolvedOn-year': '2014',
        successorIds: [NPS, CRC, NPS],
      }),
      choices,
    );
    expect(parsed).toEqual({
      ok: true,
      input: {
        name: 'Kent Probation Trust',
        kind: 'probation_trust',
        region: 'south_east',
        status: 'dissolved',
        dissolvedOn: '2014-05-31',
        successorIds: [NPS, CRC],
      },
    });
    expect(await parseOrganisation(form({}), choices)).toMatchObject({
      ok: true,
      input: { dissolvedOn: null, successorIds: [] },
    });
  });

  it.each([
    [{ name: '' }, 'name', 'Enter the organisation’s name'],
    [{ name: 'x'.repeat(201) }, 'name', 'Name must be 200 characters or fewer'],
    [{ kind: 'council' }, 'kind', 'Select the kind of organisation'],
    [{ region: 'mars' }, 'region', 'Select a region'],
    [{ status: 'gone' }, 'status', 'Select a status'],
    [{ status: 'dissolved' }, 'dissolvedOn', 'Enter the date dissolved'],
    [
      { 'dissolvedOn-day': '31', 'dissolvedOn-month': '2', 'dissolvedOn-year': '2014' },
      'dissolvedOn',
      'Date dissolved must be a real date',
    ],
    [{ successorIds: ['not-offered'] }, 'successorIds', 'Select successors from the list'],
  ])('refuses %j on %s', async (fields, field, message) => {
    const parsed = await parseOrganisation(form(fields), choices);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? {} : parsed.errors).toEqual({ [field]: message });
  });

  it('fills the form from the organisation, and links errors in form order', () => {
    const organisation = {
      name: 'Kent',
      kind: 'probation_trust',
      region: 'south_east',
      status: 'dissolved',
      dissolvedOn: '2014-05-31',
      successorIds: [NPS],
      version: 4,
    } as OrganisationView;
    expect(formFromOrganisation(organisation)).toMatchObject({
      version: '4',
      'dissolvedOn-day': '31',
      'dissolvedOn-month': '5',
      'dissolvedOn-year': '2014',
      successorIds: [NPS],
    });
    expect(
      organisationErrorSummary({ dissolvedOn: 'd', name: 'n' }, { dissolvedOn: ['day'] }).map((e) => e.href),
    ).toEqual(['#name', '#dissolvedOn-day']);
  });
});
