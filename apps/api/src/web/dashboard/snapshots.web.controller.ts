import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { FastifyReply } from 'fastify';
import { Actor, roleHas, SnapshotsService, SnapshotSummary } from '@rt/domain';
import { formatInstant, WebViews } from '../views';
import { PageNotFound } from '../web-errors';
import { CursorPages } from '../web-pagination';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../web-route';
import { requireDashboardRole } from './dashboard.view-model';
import { compareSnapshots, parseSnapshotName } from './snapshots.view-model';
import { takeFlash } from '../web-forms';

export const SNAPSHOTS_PAGE_SIZE = 20;
/** Snapshots offered to compare with, newest first. */
const COMPARE_CHOICES = 200;

const canTake = (actor: Actor) => roleHas(actor.role, 'snapshots:create');

function snapshotId(id: string): string {
  if (!isUUID(id, 'all')) throw new PageNotFound();
  return id.toLowerCase();
}

/** Snapshots: the list, "Take a snapshot now", and one snapshot's figures against an earlier one. */
@Injectable()
@WebPagesProvider()
export class SnapshotsWebController implements WebPages {
  constructor(
    private readonly snapshots: SnapshotsService,
    private readonly views: WebViews,
  ) {}

  routes(): WebRoute[] {
    return [
      { method: 'GET', url: '/dashboard/snapshots', handler: (request, reply) => this.list(request, reply) },
      { method: 'POST', url: '/dashboard/snapshots', handler: (request, reply) => this.take(request, reply) },
      { method: 'GET', url: '/dashboard/snapshots/:id', handler: (request, reply) => this.show(request, reply) },
    ];
  }

  private async list(request: SignedInRequest, reply: FastifyReply) {
    requireDashboardRole(request.actor);
    const flash = takeFlash(request);
    return this.renderList(request, reply, { name: '', flash });
  }

  private async take(request: SignedInRequest, reply: FastifyReply) {
    const actor = request.actor;
    requireDashboardRole(actor);
    if (!canTake(actor)) throw new PageNotFound();
    const { name, error } = parseSnapshotName(request.body);
    if (error) return this.renderList(request, reply, { name, error }, 400);
    const taken = await this.snapshots.take(actor, name);
    request.session.flash = 'Snapshot taken';
    return reply.redirect(`/dashboard/snapshots/${taken.id}`, 303);
  }

  private async renderList(
    request: SignedInRequest,
    reply: FastifyReply,
    form: { name: string; error?: string; flash?: string },
    status = 200,
  ) {
    const pages = new CursorPages(request.query as Record<string, unknown>);
    const page = await pages.load((cursor) => this.snapshots.list({ limit: SNAPSHOTS_PAGE_SIZE, cursor }));
    return this.views.send(
      request,
      reply,
      'dashboard/snapshots.njk',
      {
        snapshots: page.items,
        pagination: pages.links('/dashboard/snapshots', {}, page.nextCursor),
        canTake: canTake(request.actor),
        form,
        flash: form.flash,
        errorList: form.error ? [{ href: '#name', text: form.error }] : [],
      },
      status,
    );
  }

  private async show(request: SignedInRequest, reply: FastifyReply) {
    const actor = request.actor;
    requireDashboardRole(actor);
    const id = snapshotId((request.params as { id: string }).id);
    const { against } = request.query as { against?: unknown };
    const [snapshot, recent] = await Promise.all([
      this.snapshots.get(actor, id),
      this.snapshots.list({ limit: COMPARE_CHOICES }),
    ]);
    const chosen = typeof against === 'string' && against !== '' ? snapshotId(against) : undefined;
    const otherId = chosen && chosen !== id ? chosen : (await this.previousOf(id, recent))?.id;
    const other = otherId ? await this.snapshots.get(actor, otherId) : null;
    // Before and after in the order they were taken, whichever was chosen.
    const otherIsLater = other !== null && other.takenAt > snapshot.takenAt;
    const before = otherIsLater ? snapshot : other;
    const after = otherIsLater ? other : snapshot;
    const diff = before ? await this.snapshots.diff(actor, before.id, after.id) : null;
    const flash = takeFlash(request);
    return this.views.send(request, reply, 'dashboard/snapshot.njk', {
      snapshot,
      other,
      before,
      after,
      diff,
      comparison: compareSnapshots(before, after),
      compareOptions: recent.items
        .filter((s) => s.id !== id)
        .map((s) => ({
          value: s.id,
          text: `${s.name} (taken ${formatInstant(s.takenAt)})`,
          selected: s.id === other?.id,
        })),
      flash,
    });
  }

  /** The snapshot taken just before this one, if any: the list is newest first, so it is the next one down. */
  private async previousOf(id: string, first: { items: SnapshotSummary[]; nextCursor: string | null }) {
    let page = first;
    let found = false;
    for (;;) {
      for (const s of page.items) {
        if (found) return s;
        if (s.id === id) found = true;
      }
      if (!page.nextCursor) return null;
      page = await this.snapshots.list({ limit: COMPARE_CHOICES, cursor: page.nextCursor });
    }
  }
}
