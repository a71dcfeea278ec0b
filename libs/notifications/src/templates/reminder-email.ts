import { daysBetween, EmailItem, EmailToSend } from '@rt/domain';
import { dateInWords, escapeHtml, plural } from './words';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

interface Section {
  heading: string;
  /** How the subject line counts it: "2 overdue". */
  label: string;
  items: EmailItem[];
  describe: (item: EmailItem, today: string) => string;
}

const due = (i: EmailItem, today: string) => {
  const days = daysBetween(today, i.dueDate);
  return `Due ${dateInWords(i.dueDate)}${days > 0 ? ` (in ${plural(days, 'day')})` : days === 0 ? ' (today)' : ''}`;
};
const overdue = (i: EmailItem) => `Was due ${dateInWords(i.dueDate)}: ${plural(i.daysOverdue, 'day')} overdue`;

const assigned = (i: EmailItem, today: string) =>
  `${i.assignedBy ? `Assigned to you by ${i.assignedBy}. ` : ''}${due(i, today)}`;

/** Why an assignment email came: who made the recipient the owner, when it is known. */
function assignmentWhy(items: EmailItem[]): string {
  const by = new Set(items.map((i) => i.assignedBy));
  const what = items.length === 1 ? 'an action' : 'these actions';
  const [only] = [...by];
  if (by.size === 1 && only) return `${only} made you the owner of ${what}.`;
  if (!by.has(null)) return `You were made the owner of ${what} by the people named with each.`;
  return `Someone made you the owner of ${what}.`;
}

function escalationWhy(item: EmailItem): string {
  const whose =
    item.recipientRole === 'accountable_lead'
      ? `you are the accountable lead for ${item.organisationName}`
      : `${item.organisationName} is in your portfolio`;
  return `${overdue(item)}. You are told because it is ${plural(item.daysOverdue, 'day')} overdue and ${whose}.`;
}

/**
 * One email for everything a person needs to hear about in a run, in the plain GOV.UK Notify manner: overdue
 * first, then due today, then coming up, then escalations and new assignments; each with the action, its
 * recommendation and organisation, the date in words, a link, and why they are receiving it.
 */
export function renderReminderEmail(email: EmailToSend, appBaseUrl: string): RenderedEmail {
  // Two reminders about one action can travel together (a long weekend, a weekly reader's Monday): list it once.
  const of = (pred: (i: EmailItem) => boolean) => {
    const listed = new Set<string>();
    return email.items.filter((i) => pred(i) && !listed.has(i.actionId) && Boolean(listed.add(i.actionId)));
  };
  const mine = (i: EmailItem) => i.kind === 'reminder';
  const sections: Section[] = [
    { heading: 'Overdue', label: 'overdue', items: of((i) => mine(i) && i.daysOverdue > 0), describe: overdue },
    {
      heading: 'Due today',
      label: 'due today',
      items: of((i) => mine(i) && i.daysOverdue === 0 && i.dueDate === email.today),
      describe: () => 'Due today',
    },
    { heading: 'Coming up', label: 'coming up', items: of((i) => mine(i) && i.dueDate > email.today), describe: due },
    {
      heading: 'Overdue actions escalated to you',
      label: 'escalated to you',
      items: of((i) => i.kind === 'escalation'),
      describe: escalationWhy,
    },
    {
      heading: 'Actions assigned to you',
      label: 'assigned to you',
      items: of((i) => i.kind === 'assignment'),
      describe: assigned,
    },
  ].filter((s) => s.items.length > 0);

  const link = (i: EmailItem) => `${appBaseUrl}/actions/${i.actionId}`;
  const context = (i: EmailItem) => `Recommendation ${i.recommendationReference}, ${i.organisationName}`;
  const reasons = [
    email.items.some((i) => i.kind === 'reminder') &&
      'You own these actions. You are reminded before an action is due, on the day, and regularly while it is overdue, until it is completed.',
    email.items.some((i) => i.kind === 'escalation') &&
      'Overdue actions are escalated to the accountable lead and the performance managers of their organisation, and again at intervals while they stay overdue.',
    email.items.some((i) => i.kind === 'assignment') &&
      assignmentWhy(email.items.filter((i) => i.kind === 'assignment')),
  ].filter((r): r is string => Boolean(r));

  const subject = subjectFor(email, sections);
  const text = [
    `Dear ${email.recipient.name},`,
    '',
    ...sections.flatMap((s) => [
      s.heading.toUpperCase(),
      '',
      ...s.items.flatMap((i) => [
        `* ${i.actionTitle}`,
        `  ${context(i)}`,
        `  ${s.describe(i, email.today)}`,
        `  ${link(i)}`,
        '',
      ]),
    ]),
    'WHY YOU ARE GETTING THIS EMAIL',
    '',
    ...reasons,
    `You can change how often you get reminders in your settings: ${appBaseUrl}/settings`,
    '',
    'Recommendation Tracker',
  ].join('\n');

  const p = (t: string) => `<p style="margin: 0 0 15px 0;">${t}</p>`;
  const html = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: Arial, sans-serif; font-size: 19px; line-height: 1.315789474; color: #0b0c0c; margin: 0; padding: 20px;">
${p(`Dear ${escapeHtml(email.recipient.name)},`)}
${sections
  .map(
    (s) => `<h2 style="font-size: 24px; margin: 30px 0 10px 0;">${escapeHtml(s.heading)}</h2>
<ul style="padding-left: 20px; margin: 0 0 15px 0;">
${s.items
  .map(
    (
      i,
    ) => `<li style="margin-bottom: 15px;"><a href="${escapeHtml(link(i))}" style="color: #1d70b8;">${escapeHtml(i.actionTitle)}</a><br>
${escapeHtml(context(i))}<br>
${escapeHtml(s.describe(i, email.today))}</li>`,
  )
  .join('\n')}
</ul>`,
  )
  .join('\n')}
<h2 style="font-size: 24px; margin: 30px 0 10px 0;">Why you are getting this email</h2>
${reasons.map((r) => p(escapeHtml(r))).join('\n')}
${p(`You can change how often you get reminders in <a href="${escapeHtml(appBaseUrl)}/settings" style="color: #1d70b8;">your settings</a>.`)}
${p('Recommendation Tracker')}
</body></html>`;
  return { subject, text, html };
}

function subjectFor(email: EmailToSend, sections: Section[]): string {
  if (email.items.every((i) => i.kind === 'assignment') && email.items.length === 1) {
    return `You are now the owner of an action: ${email.items[0].actionTitle}`;
  }
  const counts = sections.map((s) => `${s.items.length} ${s.label}`);
  return `Recommendation Tracker: ${counts.join(', ')}`;
}
