import { dirname, join } from 'node:path';
import { FastifyReply, FastifyRequest } from 'fastify';
import nunjucks from 'nunjucks';
import { Actor } from '@rt/domain';

const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

export const SERVICE_NAME = 'Recommendation Tracker';

const STATUS_LABELS: Record<string, string> = {
  not_started: 'Not started',
  in_progress: 'In progress',
  blocked: 'Blocked',
  completed: 'Completed',
  verified: 'Verified',
  cancelled: 'Cancelled',
};

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** An action status as the pages word it: in_progress → "In progress". */
export const statusLabel = (status: string): string => STATUS_LABELS[status] ?? status;

/** 2014-06-30 → "30 June 2014" (calendar dates are strings; no time zone may shift them). */
export function formatDate(value: unknown): string {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null;
  if (!match) return '';
  return `${Number(match[3])} ${MONTHS[Number(match[2]) - 1]} ${match[1]}`;
}

/** An instant, as the date and time in London: "3 March 2014 at 14:05". */
export function formatInstant(value: unknown): string {
  if (typeof value !== 'string') return '';
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).formatToParts(new Date(value));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('day')} ${part('month')} ${part('year')} at ${part('hour')}:${part('minute')}`;
}

/** The Nunjucks environment: our views, then GOV.UK and MoJ components; output is escaped unless marked safe. */
export class WebViews {
  private readonly env: nunjucks.Environment;

  constructor(production: boolean) {
    this.env = new nunjucks.Environment(
      new nunjucks.FileSystemLoader(
        [
          join(__dirname, 'views'),
          join(packageDir('govuk-frontend'), 'dist'),
          packageDir('@ministryofjustice/frontend'),
        ],
        { noCache: !production },
      ),
      { autoescape: true, throwOnUndefined: false },
    );
    this.env.addFilter('date', formatDate);
    this.env.addFilter('instant', formatInstant);
    this.env.addFilter('statusLabel', statusLabel);
    this.env.addGlobal('serviceName', SERVICE_NAME);
  }

  renderString(view: string, context: Record<string, unknown>): string {
    return this.env.render(view, context);
  }

  /**
   * Renders a page with what every page needs: the CSP nonce for GOV.UK's one inline script, a CSRF token for its
   * forms, and who is signed in. Pages are never cached: they show one person's data.
   */
  send(
    request: FastifyRequest,
    reply: FastifyReply,
    view: string,
    context: Record<string, unknown> = {},
    status = 200,
  ): FastifyReply {
    const actor = (request as FastifyRequest & { actor?: Actor }).actor;
    const html = this.renderString(view, {
      cspNonce: reply.cspNonce?.script,
      csrfToken: request.session && 'sessionId' in request.session ? reply.generateCsrf() : undefined,
      currentUser: actor ? { name: actor.name, role: actor.role } : null,
      currentPath: request.url,
      ...context,
    });
    return reply.status(status).header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(html);
  }
}
