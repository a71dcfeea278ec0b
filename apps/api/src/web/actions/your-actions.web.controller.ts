import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { FastifyReply } from 'fastify';
import { ACTION_STATUSES, ActionFilter, ActionStatus, ActionsService, addDays, AMBER_WINDOW_DAYS } from '@rt/domain';
import { WebViews } from '../views';
import { CursorPages } from '../web-pagination';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../web-route';
import { dueGroupOf, ragTag } from './action.view-model';
import { takeFlash } from '../web-forms';

export const YOUR_ACTIONS_PAGE_SIZE = 20;

const DUE_CHOICES = ['overdue', 'soon', 'later'] as const;
type DueChoice = (typeof DUE_CHOICES)[number];

interface YourActionsQuery {
  status?: string | string[];
  inspection?: string;
  due?: string;
  cursor?: string;
  trail?: string;
}

/** "Your actions": the signed-in user's own actions, overdue first, with filters and counts. */
@Injectable()
@WebPagesProvider()
export class YourActionsWebController implements WebPages {
  constructor(
    private readonly actions: ActionsService,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [{ method: 'GET', url: '/', handler: (request, reply) => this.show(request, reply) }];
  }

  private async show(request: SignedInRequest, reply: FastifyReply) {
    const query = request.query as YourActionsQuery;
    const actor = request.actor;
    const today = this.actions.today();
    const statuses = ([] as string[])
      .concat(query.status ?? [])
      .filter((s): s is ActionStatus => (ACTION_STATUSES as readonly string[]).includes(s));
    const inspectionId = query.inspection && isUUID(query.inspection, 'all') ? query.inspection.toLowerCase() : '';
    const due = (DUE_CHOICES as readonly string[]).includes(query.due ?? '') ? (query.due as DueChoice) : '';
    const pages = new CursorPages(query);

    const filter: ActionFilter = { ownerId: actor.id, statuses, inspectionId: inspectionId || undefined };
    if (due === 'overdue') filter.overdue = true;
    if (due === 'soon')
      Object.assign(filter, {
        overdue: false,
        dueAfter: addDays(today, -1),
        dueBefore: addDays(today, AMBER_WINDOW_DAYS + 1),
      });
    if (due === 'later') filter.dueAfter = addDays(today, AMBER_WINDOW_DAYS);

    const [page, counts, yourInspections] = await Promise.all([
      pages.load((cursor) => this.actions.list(actor, filter, { limit: YOUR_ACTIONS_PAGE_SIZE, cursor })),
      this.actions.countByDueState(actor, filter),
      // The filter offers the inspections your actions serve (whatever else is filtered), and names each row's.
      this.actions.inspectionsOf(actor, { ownerId: actor.id }),
    ]);
    const inspectionTitles = new Map(yourInspections.map((i) => [i.id, i.title]));
    const rows = page.items.map((a) => ({
      ...a,
      rag: ragTag(a.rag),
      group: dueGroupOf(a, today),
      inspectionTitle: inspectionTitles.get(a.inspectionId) ?? '',
    }));
    const filters = { status: statuses, inspection: inspectionId || undefined, due: due || undefined };
    const pagination = pages.links('/', filters, page.nextCursor);
    const flash = takeFlash(request);
    return this.views.send(request, reply, 'actions/your-actions.njk', {
      groups: {
        overdue: rows.filter((r) => r.group === 'overdue'),
        dueSoon: rows.filter((r) => r.group === 'dueSoon'),
        later: rows.filter((r) => r.group === 'later'),
      },
      counts,
      filters: { statuses, inspectionId, due },
      statusOptions: ACTION_STATUSES,
      inspectionOptions: yourInspections.map((i) => ({ value: i.id, text: i.title })),
      filtered: statuses.length > 0 || !!inspectionId || !!due,
      pagination,
      flash,
    });
  }
}
