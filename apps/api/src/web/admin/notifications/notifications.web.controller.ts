import { Injectable } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { Actor, NotificationsService, UsersService, UserView } from '@rt/domain';
import { WebViews } from '../../views';
import { CursorPages } from '../../web-pagination';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../../web-route';
import { requireAdmin } from '../admin-form';
import { LABELS, optionsOf } from '../admin-labels';
import {
  filterParams,
  notificationFilterDateParts,
  notificationFilterErrorSummary,
  parseNotificationFilter,
  readNotificationFilter,
} from './notification-filter';

export const NOTIFICATIONS_PAGE_SIZE = 25;

const STATUS_TAGS: Record<string, string> = {
  queued: 'govuk-tag--blue',
  sent: 'govuk-tag--green',
  failed: 'govuk-tag--red',
  skipped: 'govuk-tag--grey',
};

/** Admin: the notification log (reminders, escalations, assignment emails), filtered with a GET form. */
@Injectable()
@WebPagesProvider()
export class NotificationsWebController implements WebPages {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly users: UsersService,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [{ method: 'GET', url: '/admin/notifications', handler: (rq, rp) => this.list(rq, rp) }];
  }

  private async list(request: SignedInRequest, reply: FastifyReply) {
    const actor = requireAdmin(request);
    const form = readNotificationFilter(request.query);
    const users = await this.allUsers(actor);
    const parsed = parseNotificationFilter(form, new Set(users.map((u) => u.id)));
    const context = {
      form,
      recipientOptions: users.map((u) => ({
        value: u.id,
        text: `${u.name} (${u.email})`,
        chosen: u.id === form.recipient,
      })),
      kindOptions: optionsOf(LABELS.notificationKind, form.kind),
      statusOptions: optionsOf(LABELS.notificationStatus, form.status),
      filtered: Object.values(filterParams(form)).some((v) => v !== undefined),
    };
    if (!parsed.ok) {
      const dateParts = notificationFilterDateParts(form, parsed.errors);
      const errorList = notificationFilterErrorSummary(parsed.errors, dateParts);
      return this.views.send(
        request,
        reply,
        'admin/notifications/list.njk',
        { ...context, errors: parsed.errors, errorList, dateParts },
        400,
      );
    }
    const pages = new CursorPages(request.query as Record<string, unknown>);
    const page = await pages.load((cursor) =>
      this.notifications.list(actor, parsed.filter, { limit: NOTIFICATIONS_PAGE_SIZE, cursor }),
    );
    const names = new Map(users.map((u) => [u.id, u.name]));
    return this.views.send(request, reply, 'admin/notifications/list.njk', {
      ...context,
      errors: {},
      rows: page.items.map((n) => ({
        ...n,
        kindLabel: LABELS.notificationKind[n.kind],
        reasonLabel: LABELS.notificationReason[n.reason],
        statusLabel: LABELS.notificationStatus[n.status],
        statusClass: STATUS_TAGS[n.status],
        recipientName: names.get(n.recipientId) ?? '',
      })),
      pagination: pages.links('/admin/notifications', filterParams(form), page.nextCursor),
    });
  }

  /** Everyone who may receive a notification, by name, for the recipient filter. */
  private async allUsers(actor: Actor): Promise<UserView[]> {
    const all: UserView[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 50; i++) {
      const page = await this.users.list(actor, {}, { limit: 200, cursor });
      all.push(...page.items);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    return all;
  }
}
