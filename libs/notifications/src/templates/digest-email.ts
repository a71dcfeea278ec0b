import { daysBetween, DigestAction, DigestOrganisation, DigestSectionName, DigestToSend } from '@rt/domain';
import { RenderedEmail } from './reminder-email';
import { dateInWords, escapeHtml, plural } from './words';

interface SectionWording {
  heading: string;
  /** How the subject and summary count it: "2 newly overdue". */
  label: string;
  describe: (a: DigestAction, today: string) => string;
}

const dueIn = (a: DigestAction, today: string) => {
  const days = daysBetween(today, a.dueDate);
  return `Due ${dateInWords(a.dueDate)}${days > 0 ? ` (in ${plural(days, 'day')})` : days === 0 ? ' (today)' : ''}`;
};

/** In the order the email lists them: what needs the performance manager first. */
const SECTIONS: [DigestSectionName, SectionWording][] = [
  [
    'newlyOverdue',
    {
      heading: 'Newly overdue',
      label: 'newly overdue',
      describe: (a) =>
        `Was due ${dateInWords(a.dueDate)}${a.daysOverdue > 0 ? `: ${plural(a.daysOverdue, 'day')} overdue` : ''}`,
    },
  ],
  [
    'completed',
    {
      heading: 'Completed and awaiting your verification',
      label: 'awaiting verification',
      describe: (a) => `Completed ${dateInWords(a.on ?? a.dueDate)}`,
    },
  ],
  [
    'verified',
    { heading: 'Verified', label: 'verified', describe: (a) => `Verified ${dateInWords(a.on ?? a.dueDate)}` },
  ],
  [
    'redated',
    {
      heading: 'Re-dated',
      label: 're-dated',
      describe: (a) =>
        a.previousDueDate
          ? `Due date moved from ${dateInWords(a.previousDueDate)} to ${dateInWords(a.dueDate)}`
          : `Now due ${dateInWords(a.dueDate)}`,
    },
  ],
  [
    'atRisk',
    {
      heading: 'At risk (amber)',
      label: 'at risk',
      describe: (a, today) => `${dueIn(a, today)}, ${a.progress}% complete`,
    },
  ],
];

function movement(o: DigestOrganisation): string {
  if (o.percentComplete === null) return 'No actions yet';
  const now = `${o.percentComplete}% complete`;
  if (o.percentCompleteBefore === null) return `${now} (no figure recorded for the week before)`;
  const change = o.percentComplete - o.percentCompleteBefore;
  if (change === 0) return `${now} (no change this week)`;
  return `${now} (${change > 0 ? 'up' : 'down'} ${plural(Math.abs(change), 'point')} this week, from ${o.percentCompleteBefore}%)`;
}

function standing(o: DigestOrganisation): string {
  return `${plural(o.overdue, 'action')} overdue, ${o.awaitingVerification} awaiting verification in all`;
}

/**
 * A performance manager's weekly digest, in the plain GOV.UK Notify manner: for each organisation of their
 * portfolio, percent complete and its movement over the week, then the actions newly overdue, completed and
 * awaiting verification, verified, re-dated and at risk, each with its recommendation, the date in words and a link;
 * and why they are receiving it.
 */
export function renderDigestEmail(digest: DigestToSend, appBaseUrl: string): RenderedEmail {
  const week = `${dateInWords(digest.weekStart)} to ${dateInWords(digest.weekEnd)}`;
  const actionLink = (a: DigestAction) => `${appBaseUrl}/actions/${a.actionId}`;
  const orgLink = (o: DigestOrganisation) => `${appBaseUrl}/organisations/${o.id}`;
  const sectionsOf = (o: DigestOrganisation) =>
    SECTIONS.filter(([name]) => o.sections[name].total > 0).map(([name, wording]) => ({
      ...wording,
      ...o.sections[name],
    }));
  const more = (s: { total: number; actions: DigestAction[] }) => s.total - s.actions.length;

  const totals = SECTIONS.map(([name, w]) => ({
    label: w.label,
    n: digest.organisations.reduce((sum, o) => sum + o.sections[name].total, 0),
  })).filter((t) => t.n > 0);
  const subject =
    `Weekly digest, week to ${dateInWords(digest.weekEnd)}: ` +
    (totals.length ? totals.map((t) => `${t.n} ${t.label}`).join(', ') : 'no changes');
  const intro = `This is your weekly digest for the ${plural(digest.organisations.length, 'organisation')} in your portfolio, for ${week}.`;
  const reasons = [
    'You get this email every Monday morning (or the next working day after a bank holiday) because you are a performance manager and these organisations are in your portfolio.',
    'Percent complete counts completed and verified actions against all actions that are not cancelled. The week before is the figure recorded at the end of that week.',
  ];
  const optOut = `You can stop these weekly emails in your settings: ${appBaseUrl}/settings`;

  const text = [
    `Dear ${digest.recipient.name},`,
    '',
    intro,
    '',
    ...digest.organisations.flatMap((o) => {
      const sections = sectionsOf(o);
      return [
        o.name.toUpperCase(),
        movement(o),
        standing(o),
        orgLink(o),
        '',
        ...(sections.length === 0 ? ['Nothing new this week.', ''] : []),
        ...sections.flatMap((s) => [
          `${s.heading} (${s.total})`,
          '',
          ...s.actions.flatMap((a) => [
            `* ${a.title}`,
            `  Recommendation ${a.recommendationReference}`,
            `  ${s.describe(a, digest.today)}`,
            `  ${actionLink(a)}`,
            '',
          ]),
          ...(more(s) > 0 ? [`  and ${more(s)} more: ${orgLink(o)}`, ''] : []),
        ]),
      ];
    }),
    'WHY YOU ARE GETTING THIS EMAIL',
    '',
    ...reasons,
    optOut,
    '',
    'Recommendation Tracker',
  ].join('\n');

  const p = (t: string) => `<p style="margin: 0 0 15px 0;">${t}</p>`;
  const a = (href: string, label: string) =>
    `<a href="${escapeHtml(href)}" style="color: #1d70b8;">${escapeHtml(label)}</a>`;
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: Arial, sans-serif; font-size: 19px; line-height: 1.315789474; color: #0b0c0c; margin: 0; padding: 20px;">
${p(`Dear ${escapeHtml(digest.recipient.name)},`)}
${p(escapeHtml(intro))}
${digest.organisations
  .map((o) => {
    const sections = sectionsOf(o);
    return `<h2 style="font-size: 27px; margin: 40px 0 15px 0;">${a(orgLink(o), o.name)}</h2>
${p(`${escapeHtml(movement(o))}<br>
${escapeHtml(standing(o))}`)}
${sections.length === 0 ? p('Nothing new this week.') : ''}${sections
      .map(
        (s) => `<h3 style="font-size: 19px; margin: 20px 0 10px 0;">${escapeHtml(s.heading)} (${s.total})</h3>
<ul style="padding-left: 20px; margin: 0 0 15px 0;">
${s.actions
  .map(
    (x) => `<li style="margin-bottom: 15px;">${a(actionLink(x), x.title)}<br>
Recommendation ${escapeHtml(x.recommendationReference)}<br>
${escapeHtml(s.describe(x, digest.today))}</li>`,
  )
  .join('\n')}
</ul>${more(s) > 0 ? `\n${p(`And ${a(orgLink(o), `${more(s)} more`)}.`)}` : ''}`,
      )
      .join('\n')}`;
  })
  .join('\n')}
<h2 style="font-size: 24px; margin: 30px 0 10px 0;">Why you are getting this email</h2>
${reasons.map((r) => p(escapeHtml(r))).join('\n')}
${p(`You can stop these weekly emails in <a href="${escapeHtml(appBaseUrl)}/settings" style="color: #1d70b8;">your settings</a>.`)}
${p('Recommendation Tracker')}
</body></html>`;
  return { subject, text, html };
}
