import { InspectionView } from '@rt/domain';
import {
  emptyInspectionForm,
  formFromInspection,
  inspectionErrorSummary,
  parseFinding,
  parseInspection,
  readFindingForm,
  readInspectionForm,
} from './inspection.form';

const KENT = '3f1f8a5e-0c36-4d51-9a63-9d6c1f2b7a01';
const HMIP = '3f1f8a5e-0c36-4d51-9a63-9d6c1f2b7a02';
const form = (fields: Record<string, string>) =>
  readInspectionForm({
    ...emptyInspectionForm(),
    organisationId: KENT,
    inspectorateId: HMIP,
    title: 'Inspection of Adult Offending Work: Kent',
    'publishedOn-day': '1',
    'publishedOn-month': '3',
    'publishedOn-year': '2014',
    ...fields,
  });
const parse = (fields: Record<string, string>) => parseInspection(form(fields), new Set([KENT]), new Set([HMIP]));

describe('the inspection form', () => {
  it('gives the service the whole record', async () => {
    expect(
      await parse({
        programme: ' Inspection of Adult Offending Work ',
        publishedOnApproximate: 'yes',
        reportUrl: 'https://example.org/r.pdf',
      }),
    ).toEqual({
      ok: true,
      input: {
        organisationId: KENT,
        inspectorateId: HMIP,
        title: 'Inspection of Adult Offending Work: Kent',
        programme: 'Inspection of Adult Offending Work',
        publishedOn: '2014-03-01',
        publishedOnApproximate: true,
        reportUrl: 'https://example.org/r.pdf',
      },
    });
    expect(await parse({})).toMatchObject({
      ok: true,
      input: { programme: null, reportUrl: null, publishedOnApproximate: false },
    });
  });

  it.each([
    [{ organisationId: HMIP }, 'organisationId', 'Select the inspected organisation'],
    [{ inspectorateId: KENT }, 'inspectorateId', 'Select the inspectorate'],
    [{ title: '' }, 'title', 'Enter the report’s title'],
    [{ programme: 'p'.repeat(201) }, 'programme', 'Programme must be 200 characters or fewer'],
    [
      { 'publishedOn-day': '', 'publishedOn-month': '', 'publishedOn-year': '' },
      'publishedOn',
      'Enter the published date',
    ],
    [{ 'publishedOn-day': '32' }, 'publishedOn', 'Published date must be a real date'],
    [
      { reportUrl: 'example.org/report' },
      'reportUrl',
      'Enter the report link as a full web address starting with https:// or http://',
    ],
    [
      { reportUrl: 'javascript:alert(1)' },
      'reportUrl',
      'Enter the report link as a full web address starting with https:// or http://',
    ],
  ])('refuses %j on %s', async (fields, field, message) => {
    const parsed = await parse(fields);
    expect(parsed.ok ? {} : parsed.errors).toEqual({ [field]: message });
  });

  it('fills the form from the inspection, and links errors in form order', () => {
    const inspection = {
      organisationId: KENT,
      inspectorateId: HMIP,
      title: 'T',
      programme: null,
      publishedOn: '2014-03-01',
      publishedOnApproximate: true,
      reportUrl: null,
      version: 7,
    } as InspectionView;
    expect(formFromInspection(inspection)).toMatchObject({
      version: '7',
      programme: '',
      'publishedOn-month': '3',
      publishedOnApproximate: 'yes',
    });
    expect(
      inspectionErrorSummary({ reportUrl: 'r', publishedOn: 'p' }, { publishedOn: ['day'] }).map((e) => e.href),
    ).toEqual(['#publishedOn-day', '#reportUrl']);
  });

  it('takes a strength or a concern with its text', async () => {
    expect(await parseFinding(readFindingForm({ kind: 'concern', text: ' Home visits not made ' }))).toEqual({
      ok: true,
      input: { kind: 'concern', text: 'Home visits not made' },
    });
    const bad = await parseFinding(readFindingForm({ kind: 'opinion', text: '' }));
    expect(bad.ok ? {} : bad.errors).toEqual({
      kind: 'Select strength or concern',
      text: 'Enter what the report says',
    });
  });
});
