import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor, inScope } from '../access/actor';
import { DomainException } from '../shared/domain.exception';
import { iso, poolReader, Queryable, returnedRows } from '../shared/sql';
import {
  OrganisationReminderSettingsView,
  ReminderDefaultsView,
  ReminderSettings,
  UpdateOrganisationReminderSettingsInput,
  UpdateReminderDefaultsInput,
} from './reminder-settings';

interface SettingsRow {
  organisation_id: string | null;
  offsets_days: number[] | null;
  overdue_repeat_days: number | null;
  escalation_after_days: number | null;
  escalation_repeat_days: number | null;
  send_time: string | null;
  updated_at: Date;
  version: number;
}

const COLUMNS = `organisation_id, offsets_days, overdue_repeat_days, escalation_after_days, escalation_repeat_days,
  to_char(send_time, 'HH24:MI') AS send_time, updated_at, version`;

function fromRow(row: SettingsRow): { [K in keyof ReminderSettings]: ReminderSettings[K] | null } {
  return {
    offsetsDays: row.offsets_days,
    overdueRepeatDays: row.overdue_repeat_days,
    escalationAfterDays: row.escalation_after_days,
    escalationRepeatDays: row.escalation_repeat_days,
    sendTime: row.send_time,
  };
}

function merged(defaults: ReminderSettings, own: Partial<Record<keyof ReminderSettings, unknown>>): ReminderSettings {
  const pick = <K extends keyof ReminderSettings>(k: K) => (own[k] ?? defaults[k]) as ReminderSettings[K];
  return {
    offsetsDays: pick('offsetsDays'),
    overdueRepeatDays: pick('overdueRepeatDays'),
    escalationAfterDays: pick('escalationAfterDays'),
    escalationRepeatDays: pick('escalationRepeatDays'),
    sendTime: pick('sendTime'),
  };
}

/** Offsets are distinct whole days, largest first; the same list in any order means the same thing. */
function normaliseOffsets(offsets: number[] | null | undefined) {
  return offsets == null ? offsets : [...new Set(offsets)].sort((a, b) => b - a);
}

/** A group of organisations that share the same effective settings, as the reminder run handles them. */
export interface SettingsProfile {
  settings: ReminderSettings;
  organisationIds: string[];
}

@Injectable()
export class ReminderSettingsService {
  private readonly read: Queryable;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    this.read = poolReader(db);
  }

  async defaults(manager: Queryable = this.read): Promise<ReminderDefaultsView> {
    const [row]: SettingsRow[] = await manager.query(
      `SELECT ${COLUMNS} FROM reminder_settings WHERE organisation_id IS NULL`,
    );
    return { ...(fromRow(row) as ReminderSettings), updatedAt: iso(row.updated_at)!, version: row.version };
  }

  async updateDefaults(expectedVersion: number, input: UpdateReminderDefaultsInput): Promise<ReminderDefaultsView> {
    const updated = returnedRows(
      await this.db.query(
        `UPDATE reminder_settings SET
           offsets_days = COALESCE($2, offsets_days),
           overdue_repeat_days = COALESCE($3, overdue_repeat_days),
           escalation_after_days = COALESCE($4, escalation_after_days),
           escalation_repeat_days = COALESCE($5, escalation_repeat_days),
           send_time = COALESCE($6::time, send_time),
           version = version + 1, updated_at = now()
         WHERE organisation_id IS NULL AND version = $1 RETURNING id`,
        [
          expectedVersion,
          normaliseOffsets(input.offsetsDays) ?? null,
          input.overdueRepeatDays ?? null,
          input.escalationAfterDays ?? null,
          input.escalationRepeatDays ?? null,
          input.sendTime ?? null,
        ],
      ),
    );
    if (updated.length === 0) throw DomainException.stale('The reminder settings');
    return this.defaults();
  }

  async forOrganisation(actor: Actor, organisationId: string): Promise<OrganisationReminderSettingsView> {
    await this.checkVisible(actor, organisationId);
    const defaults = await this.defaults();
    const rows: SettingsRow[] = await this.read.query(
      `SELECT ${COLUMNS} FROM reminder_settings WHERE organisation_id = $1`,
      [organisationId],
    );
    const own = rows[0] ? fromRow(rows[0]) : emptyOverrides();
    return {
      organisationId,
      overrides: own,
      effective: merged(defaults, own),
      updatedAt: rows[0] ? iso(rows[0].updated_at) : null,
      version: rows[0]?.version ?? 0,
    };
  }

  /** Sets or clears (null) an organisation's own values; `expectedVersion` 0 means it had none yet. */
  async updateForOrganisation(
    actor: Actor,
    organisationId: string,
    expectedVersion: number,
    input: UpdateOrganisationReminderSettingsInput,
  ): Promise<OrganisationReminderSettingsView> {
    await this.checkVisible(actor, organisationId);
    await this.db.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO reminder_settings (organisation_id, version) VALUES ($1, 0) ON CONFLICT (organisation_id) DO NOTHING`,
        [organisationId],
      );
      const set: string[] = [];
      const params: unknown[] = [organisationId, expectedVersion];
      const assign = (column: string, v: unknown, cast = '') => {
        if (v === undefined) return;
        params.push(v);
        set.push(`${column} = $${params.length}${cast}`);
      };
      assign('offsets_days', normaliseOffsets(input.offsetsDays), '::integer[]');
      assign('overdue_repeat_days', input.overdueRepeatDays);
      assign('escalation_after_days', input.escalationAfterDays);
      assign('escalation_repeat_days', input.escalationRepeatDays);
      assign('send_time', input.sendTime, '::time');
      const updated = returnedRows(
        await manager.query(
          `UPDATE reminder_settings SET ${[...set, 'version = version + 1', 'updated_at = now()'].join(', ')}
           WHERE organisation_id = $1 AND version = $2 RETURNING id`,
          params,
        ),
      );
      if (updated.length === 0) throw DomainException.stale("This organisation's reminder settings");
    });
    return this.forOrganisation(actor, organisationId);
  }

  /** The send times in use ("HH:MM", earliest first): one scheduled reminder run each working day for each. */
  async sendTimes(): Promise<string[]> {
    return [...new Set((await this.profiles()).map((p) => p.settings.sendTime))].sort();
  }

  /** Every active organisation grouped by the settings that apply to it (the reminder run works per group). */
  async profiles(manager: Queryable = this.read): Promise<SettingsProfile[]> {
    const defaults = await this.defaults(manager);
    const rows: (SettingsRow & { id: string })[] = await manager.query(
      `SELECT o.id, s.organisation_id, s.offsets_days, s.overdue_repeat_days, s.escalation_after_days,
         s.escalation_repeat_days, to_char(s.send_time, 'HH24:MI') AS send_time, s.updated_at, s.version
       FROM organisations o LEFT JOIN reminder_settings s ON s.organisation_id = o.id
       WHERE o.status = 'active' AND o.kind NOT IN ('inspectorate', 'oversight')
       ORDER BY o.id`,
    );
    const groups = new Map<string, SettingsProfile>();
    for (const row of rows) {
      const settings = merged(defaults, row.organisation_id ? fromRow(row) : {});
      const key = JSON.stringify(settings);
      const group = groups.get(key) ?? { settings, organisationIds: [] };
      group.organisationIds.push(row.id);
      groups.set(key, group);
    }
    return [...groups.values()];
  }

  private async checkVisible(actor: Actor, organisationId: string): Promise<void> {
    const rows = await this.read.query(`SELECT 1 FROM organisations WHERE id = $1`, [organisationId]);
    if (rows.length === 0 || !inScope(actor, organisationId)) throw DomainException.notFound('Organisation');
  }
}

function emptyOverrides(): OrganisationReminderSettingsView['overrides'] {
  return {
    offsetsDays: null,
    overdueRepeatDays: null,
    escalationAfterDays: null,
    escalationRepeatDays: null,
    sendTime: null,
  };
}
