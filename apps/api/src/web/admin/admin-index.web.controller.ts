import { Injectable } from '@nestjs/common';
import { FastifyReply } from 'fastify';
import { WebViews } from '../views';
import { SignedInRequest, WebPages, WebPagesProvider, WebRoute } from '../web-route';
import { requireAdmin } from './admin-form';

/** The areas of the admin pages, each with what it is for. */
export const ADMIN_AREAS = [
  {
    href: '/admin/organisations',
    title: 'Organisations',
    description: 'Add and change the bodies that are inspected, inspect or oversee; who succeeded whom.',
  },
  {
    href: '/admin/users',
    title: 'Users',
    description:
      'Add users, change their role and organisation, disable them, and set performance managers’ portfolios.',
  },
  {
    href: '/admin/inspections',
    title: 'Inspections',
    description: 'Record published inspection reports and their strengths and concerns.',
  },
  {
    href: '/admin/handovers',
    title: 'Hand-overs',
    description: 'Move a restructured organisation’s open recommendations to its successors, and see past hand-overs.',
  },
  {
    href: '/admin/notifications',
    title: 'Notification log',
    description: 'Every reminder, escalation and assignment email: to whom, about what, and whether it was sent.',
  },
  {
    href: '/admin/settings',
    title: 'Reminder settings',
    description: 'When reminders and escalations go, for everyone and for particular organisations.',
  },
  {
    href: '/admin/queues',
    title: 'Background jobs',
    description: 'The job queues the worker takes its work from (read only).',
  },
];

@Injectable()
@WebPagesProvider()
export class AdminIndexWebController implements WebPages {
  constructor(private readonly views: WebViews) {}

  routes(): WebRoute[] {
    return [{ method: 'GET', url: '/admin', handler: (request, reply) => this.show(request, reply) }];
  }

  private async show(request: SignedInRequest, reply: FastifyReply) {
    requireAdmin(request);
    return this.views.send(request, reply, 'admin/index.njk', { areas: ADMIN_AREAS });
  }
}
