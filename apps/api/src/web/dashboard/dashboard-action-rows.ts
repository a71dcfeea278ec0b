import { Injectable } from '@nestjs/common';
import {
  ActionView,
  Actor,
  DomainException,
  OrganisationsService,
  RecommendationsService,
  UsersService,
} from '@rt/domain';
import { ragTag } from '../actions/action.view-model';

/** Nothing to show for a record that has gone out of sight between two reads; anything else is a real failure. */
const orNull = (error: unknown) => {
  if (error instanceof DomainException && error.code === 'not_found') return null;
  throw error;
};

async function byId<T>(ids: (string | null)[], get: (id: string) => Promise<T>): Promise<Map<string, T | null>> {
  const distinct = [...new Set(ids.filter((id): id is string => !!id))];
  return new Map(await Promise.all(distinct.map(async (id) => [id, await get(id).catch(orNull)] as const)));
}

/**
 * One page of actions as the dashboard's lists show them: with the organisation's name, the recommendation's
 * reference, the owner's name and the RAG tag, each looked up once per page through the domain services.
 */
@Injectable()
export class DashboardActionRows {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly recommendations: RecommendationsService,
    private readonly users: UsersService,
  ) {}

  async rows(actor: Actor, actions: ActionView[]) {
    const [organisations, recommendations, owners] = await Promise.all([
      byId(
        actions.map((a) => a.organisationId),
        (id) => this.organisations.get(actor, id),
      ),
      byId(
        actions.map((a) => a.recommendationId),
        (id) => this.recommendations.get(actor, id),
      ),
      byId(
        actions.map((a) => a.ownerId),
        (id) => this.users.get(actor, id),
      ),
    ]);
    return actions.map((a) => ({
      ...a,
      ragTag: ragTag(a.rag),
      organisationName: organisations.get(a.organisationId)?.name ?? '',
      recommendationReference: recommendations.get(a.recommendationId)?.reference ?? '',
      ownerName: (a.ownerId && owners.get(a.ownerId)?.name) || null,
    }));
  }
}
