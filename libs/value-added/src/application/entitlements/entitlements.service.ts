import { Injectable } from '@nestjs/common';
import { DomainEvent } from '@app/common';
import { LogDatabase } from '@app/event-store';
import { Entitlement, entitlementsAt } from '../../domain/entitlements';

/**
 * Entitlements computed from the event log itself (the subscription streams, found through the subscriptions read
 * model), so the answer for a past instant is the same one the log gives an auditor.
 */
@Injectable()
export class EntitlementsService {
  constructor(private readonly database: LogDatabase) {}

  async history(investorId: string): Promise<DomainEvent[]> {
    const { rows } = await this.database.query<{ type: string; data: Record<string, unknown> }>(
      `SELECT type, data FROM events
        WHERE stream_id = ANY (SELECT DISTINCT 'value-added.subscriptions-' || investor_id || '-' || listing_id FROM va_subscriptions WHERE investor_id = $1)
        ORDER BY stream_id, revision`,
      [investorId],
    );
    return rows.map((row) => ({ type: row.type, data: row.data }));
  }

  async at(investorId: string, at: Date): Promise<Entitlement[]> {
    return entitlementsAt(await this.history(investorId), at.toISOString());
  }

  async mayUse(investorId: string, feature: string, at: Date): Promise<Entitlement | undefined> {
    return (await this.at(investorId, at)).find((entitlement) => entitlement.feature === feature);
  }
}
