import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor, scopeCondition } from '../access/actor';
import { roleHas } from '../access/roles';
import { ActionsService } from '../actions/actions.service';
import { InspectionsService } from '../inspections/inspections.service';
import { RecommendationsService } from '../recommendations/recommendations.service';
import { DomainException } from '../shared/domain.exception';
import { SqlParams } from '../shared/sql';
import { ImportedAction, ImportFile, ImportOutcome, ImportRowError } from './action-plan';

/** The file's problems, every one, as a 422: each error names its row and column (and, as `field`, the column). */
export function importRejected(errors: ImportRowError[]): DomainException {
  const sorted = [...errors].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return new DomainException(
    'invalid',
    `The file has ${sorted.length} problem${sorted.length === 1 ? '' : 's'}; nothing was imported.`,
    sorted.map((e) => ({ field: e.column ?? (e.row === null ? 'body' : `row ${e.row}`), ...e })),
  );
}

/** Thrown inside the transaction to roll a dry run back. */
class DryRunRollback extends Error {
  constructor(readonly outcome: ImportOutcome) {
    super('dry run');
  }
}

/** A recommendation field named by a domain error is the import column of the same name; an action's is prefixed. */
const ACTION_FIELD_COLUMNS: Record<string, string> = {
  title: 'actionTitle',
  description: 'actionDescription',
  ownerId: 'actionOwnerEmail',
  dueDate: 'actionDueDate',
  recommendationId: 'actionTitle',
};

const sameTitle = (title: string) => title.trim().toLowerCase();

/**
 * Imports an inspection's recommendations and their actions from a file, all or nothing. Each record is made by
 * the same domain service as the JSON API (so the same rules, history and outbox events), each in a savepoint of
 * one transaction: a refused row is noted and the rest still checked, so the answer lists every problem; any
 * problem rolls the whole import back. A reference already in the inspection is left as it is, and an action whose
 * title its recommendation already has is not added again, so importing the same file twice changes nothing.
 */
@Injectable()
export class ActionPlanImportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly inspections: InspectionsService,
    private readonly recommendations: RecommendationsService,
    private readonly actions: ActionsService,
  ) {}

  async importRecommendations(
    actor: Actor,
    inspectionId: string,
    file: ImportFile,
    options: { dryRun?: boolean } = {},
  ): Promise<ImportOutcome> {
    try {
      return await this.db.transaction(async (manager) => {
        await this.inspections.getForWrite(actor, inspectionId, manager);
        // One import per inspection at a time, so two imports of the same file cannot both add its records.
        await manager.query(`SELECT id FROM inspections WHERE id = $1 FOR UPDATE`, [inspectionId]);
        const outcome = await this.apply(manager, actor, inspectionId, file);
        if (options.dryRun) throw new DryRunRollback(outcome);
        return outcome;
      });
    } catch (error) {
      if (error instanceof DryRunRollback) return error.outcome;
      throw error;
    }
  }

  private async apply(
    manager: EntityManager,
    actor: Actor,
    inspectionId: string,
    file: ImportFile,
  ): Promise<ImportOutcome> {
    const errors = [...file.errors];
    const outcome: ImportOutcome = {
      dryRun: false,
      recommendations: { created: 0, unchanged: 0 },
      actions: { created: 0, unchanged: 0 },
      items: [],
    };
    const p = new SqlParams();
    const existing: { id: string; reference: string; owner_organisation_id: string; visible: boolean }[] =
      await manager.query(
        `SELECT r.id, r.reference, r.owner_organisation_id,
           ${scopeCondition(actor, 'r.owner_organisation_id', (v) => p.add(v))} AS visible
         FROM recommendations r WHERE r.inspection_id = ${p.add(inspectionId)}`,
        p.values,
      );
    const byReference = new Map(existing.map((r) => [r.reference, r]));

    for (const imported of file.recommendations) {
      const reference = imported.input.reference.trim();
      let recommendation: { id: string; ownerOrganisationId: string } | null = null;
      const found = byReference.get(reference);
      if (found && !found.visible) {
        errors.push({
          row: imported.row,
          column: 'reference',
          message: 'this reference is already used in this inspection',
        });
      } else if (found) {
        recommendation = { id: found.id, ownerOrganisationId: found.owner_organisation_id };
        outcome.recommendations.unchanged++;
        outcome.items.push({ row: imported.row, reference, recommendationId: found.id, outcome: 'unchanged' });
      } else {
        const created = await this.attempt(
          errors,
          imported.row,
          (f) => f,
          () => this.recommendations.create(actor, inspectionId, imported.input, manager),
        );
        if (created) {
          recommendation = { id: created.id, ownerOrganisationId: created.ownerOrganisationId };
          byReference.set(reference, {
            id: created.id,
            reference,
            owner_organisation_id: created.ownerOrganisationId,
            visible: true,
          });
          outcome.recommendations.created++;
        }
        outcome.items.push({
          row: imported.row,
          reference,
          recommendationId: created?.id ?? null,
          outcome: 'created',
        });
      }
      if (recommendation && imported.actions.length > 0) {
        await this.importActions(manager, actor, recommendation, imported.actions, errors, outcome);
      }
    }
    if (errors.length > 0) throw importRejected(errors);
    return outcome;
  }

  private async importActions(
    manager: EntityManager,
    actor: Actor,
    recommendation: { id: string; ownerOrganisationId: string },
    actions: ImportedAction[],
    errors: ImportRowError[],
    outcome: ImportOutcome,
  ): Promise<void> {
    const titles: { title: string }[] = await manager.query(`SELECT title FROM actions WHERE recommendation_id = $1`, [
      recommendation.id,
    ]);
    const have = new Set(titles.map((t) => sameTitle(t.title)));
    const emails = [...new Set(actions.flatMap((a) => (a.ownerEmail ? [a.ownerEmail.toLowerCase()] : [])))];
    const owners: { id: string; email: string }[] = emails.length
      ? await manager.query(
          `SELECT id, lower(email) AS email FROM users WHERE organisation_id = $1 AND lower(email) = ANY($2::text[])`,
          [recommendation.ownerOrganisationId, emails],
        )
      : [];
    const ownerIdOf = new Map(owners.map((o) => [o.email, o.id]));

    for (const action of actions) {
      if (have.has(sameTitle(action.title))) {
        outcome.actions.unchanged++;
        continue;
      }
      if (!roleHas(actor.role, 'actions:create')) {
        throw DomainException.forbidden(
          'your role can import recommendations but not add actions: leave the action columns empty, and the ' +
            "organisation's senior managers add the actions",
        );
      }
      let ownerId: string | null = null;
      if (action.ownerEmail) {
        ownerId = ownerIdOf.get(action.ownerEmail.toLowerCase()) ?? null;
        if (!ownerId) {
          errors.push({
            row: action.row,
            column: 'actionOwnerEmail',
            message: 'no user of the organisation that owns this recommendation has this email',
          });
          continue;
        }
      }
      const created = await this.attempt(
        errors,
        action.row,
        (field) => ACTION_FIELD_COLUMNS[field] ?? 'actionTitle',
        () =>
          this.actions.create(
            actor,
            recommendation.id,
            { title: action.title, description: action.description, ownerId, dueDate: action.dueDate },
            manager,
          ),
      );
      if (created) {
        have.add(sameTitle(action.title));
        outcome.actions.created++;
      }
    }
  }

  /** Runs one creation; a refusal by a rule becomes row errors (its savepoint already rolled back). */
  private async attempt<T>(
    errors: ImportRowError[],
    row: number,
    columnOf: (field: string) => string,
    work: () => Promise<T>,
  ): Promise<T | null> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainException && (error.code === 'invalid' || error.code === 'rule_violated')) {
        const fields = error.errors.length ? error.errors : [{ field: 'reference', message: error.message }];
        for (const e of fields) errors.push({ row, column: columnOf(e.field), message: e.message });
        return null;
      }
      if ((error as { code?: string }).code === '23505' && columnOf('reference') === 'reference') {
        errors.push({
          row,
          column: columnOf('reference'),
          message: 'this reference is already used in this inspection',
        });
        return null;
      }
      throw error;
    }
  }
}
