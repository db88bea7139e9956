/** Read side: the investor's inbox and consents, campaigns and their reports, and the compliance listing per product (G4). */
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { invalid, notFound } from '@app/common';
import { ActivityQuery, FunnelStage } from '@app/growth';
import { CampaignOutcome, CHANNELS, ReachChannel } from '../domain';
import { REACH_SETTINGS, ReachSettings } from './reach-settings';
import { UnsubscribeTokens } from './unsubscribe-tokens';

const DAY_MS = 86_400_000;
const CHUNK = 5_000;

/** Opaque cursors for keyset paging: the last row's sort key, base64url JSON. */
const encodeCursor = (key: readonly string[]): string => Buffer.from(JSON.stringify(key)).toString('base64url');
const decodeCursor = (cursor: string | undefined, length: number): string[] | null => {
  if (cursor === undefined || cursor === '') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (!Array.isArray(parsed) || parsed.length !== length || !parsed.every((part) => typeof part === 'string' && part.length < 200)) {
    throw invalid('REACH.CURSOR_INVALID', 'the cursor is not one this listing returned');
  }
  return parsed as string[];
};

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

@Injectable()
export class ReachQueries {
  constructor(
    private readonly db: DataSource,
    private readonly activity: ActivityQuery,
    private readonly tokens: UnsubscribeTokens,
    @Inject(REACH_SETTINGS) private readonly settings: ReachSettings,
  ) {}

  async inbox(investorId: string, cursor: string | undefined, limit: number) {
    const after = decodeCursor(cursor, 2);
    const rows: {
      message_id: string;
      title: string;
      body: string;
      product_id: string | null;
      campaign_id: string | null;
      sent_at: Date;
      opened_at: Date | null;
    }[] = await this.db.query(
      `SELECT message_id, title, body, product_id, campaign_id, sent_at, opened_at FROM reach_messages
        WHERE investor_id = $1 AND channel = 'in_app' ${after ? 'AND (sent_at, message_id) < ($3::timestamptz, $4)' : ''}
        ORDER BY sent_at DESC, message_id DESC LIMIT $2`,
      after ? [investorId, limit + 1, after[0], after[1]] : [investorId, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({
        messageId: row.message_id,
        title: row.title,
        body: row.body,
        productId: row.product_id,
        campaignId: row.campaign_id,
        sentAt: iso(row.sent_at) as string,
        openedAt: iso(row.opened_at),
      })),
      unsubscribeToken: this.tokens.issue(investorId, 'in_app'),
      nextCursor: rows.length > limit && last ? encodeCursor([iso(last.sent_at) as string, last.message_id]) : null,
    };
  }

  async inboxMessage(investorId: string, messageId: string): Promise<{ messageId: string; campaignId: string | null }> {
    const [row]: { message_id: string; campaign_id: string | null }[] = await this.db.query(
      `SELECT message_id, campaign_id FROM reach_messages WHERE message_id = $1 AND investor_id = $2 AND channel = 'in_app'`,
      [messageId, investorId],
    );
    if (!row) throw notFound('REACH.MESSAGE_NOT_FOUND', 'no such message in your inbox');
    return { messageId: row.message_id, campaignId: row.campaign_id };
  }

  async consents(investorId: string) {
    const rows: { channel: ReachChannel; granted: boolean; via: string; updated_at: Date }[] = await this.db.query(
      `SELECT channel, granted, via, updated_at FROM reach_consents WHERE investor_id = $1`,
      [investorId],
    );
    const byChannel = new Map(rows.map((row) => [row.channel, row]));
    return {
      investorId,
      channels: CHANNELS.map((channel) => {
        const row = byChannel.get(channel);
        return {
          channel,
          granted: row?.granted ?? false,
          via: row?.via ?? null,
          updatedAt: iso(row?.updated_at ?? null),
          unsubscribeToken: this.tokens.issue(investorId, channel),
        };
      }),
    };
  }

  private async campaignRow(campaignId: string) {
    const [row] = await this.db.query(`SELECT * FROM reach_campaigns WHERE campaign_id = $1`, [campaignId]);
    if (!row) throw notFound('REACH.CAMPAIGN_NOT_FOUND', `no campaign ${campaignId}`);
    return row as Record<string, unknown> & { spec: Record<string, unknown> & { outcome: CampaignOutcome }; started_at: Date | null };
  }

  async campaign(campaignId: string) {
    const row = await this.campaignRow(campaignId);
    return {
      campaignId,
      name: row.name as string,
      status: row.status as string,
      spec: row.spec,
      createdBy: row.created_by as string,
      createdAt: iso(row.created_at as Date) as string,
      startedAt: iso(row.started_at),
      startReason: (row.start_reason as string | null) ?? null,
      trigger: (row.trigger as Record<string, unknown> | null) ?? null,
      completedAt: iso(row.completed_at as Date | null),
      batches: row.batches as number,
    };
  }

  /**
   * Reach, opens and the outcome the campaign was for, recipients against the held-out control group, over the N days
   * after its first batch went out. Recipients are the investors a message was sent to; the control group was held out of the same
   * segment by the same split.
   */
  async report(campaignId: string, now: Date) {
    const row = await this.campaignRow(campaignId);
    const outcome = row.spec.outcome;
    const base = {
      campaignId,
      status: row.status as string,
      reach: {
        attempted: row.attempted as number,
        sent: row.sent as number,
        withheldAtCaps: row.withheld as number,
        refused: row.refused as Record<string, number>,
        delivered: row.delivered as number,
        failed: row.failed as number,
      },
      opened: row.opened as number,
      openRate: (row.sent as number) > 0 ? (row.opened as number) / (row.sent as number) : 0,
    };
    // The window opens with the first batch sent: a start in quiet hours goes out only when they end (G2).
    const opened = (row.fanned_out_at as Date | null) ?? row.started_at;
    if (!opened) return { ...base, outcome: null };
    const from = new Date(opened);
    const to = new Date(from.getTime() + outcome.days * DAY_MS);
    const recipients: string[] = (
      await this.db.query(`SELECT DISTINCT investor_id FROM reach_messages WHERE campaign_id = $1`, [campaignId])
    ).map((r: { investor_id: string }) => r.investor_id);
    const control: string[] = (
      await this.db.query(`SELECT investor_id FROM reach_campaign_control WHERE campaign_id = $1`, [campaignId])
    ).map((r: { investor_id: string }) => r.investor_id);
    const measure = async (ids: readonly string[]) => {
      let converted = 0;
      for (let i = 0; i < ids.length; i += CHUNK) {
        const chunk = ids.slice(i, i + CHUNK);
        const hit =
          outcome.kind === 'returned'
            ? await this.activity.activeAmong(chunk, from, to)
            : await this.activity.reachedStageAmong(chunk, outcome.productKind, outcome.stage as FunnelStage, from, to);
        converted += hit.size;
      }
      return { investors: ids.length, converted, rate: ids.length > 0 ? converted / ids.length : 0 };
    };
    const [treated, held] = await Promise.all([measure(recipients), measure(control)]);
    return {
      ...base,
      outcome: {
        ...outcome,
        window: { from: from.toISOString(), to: to.toISOString(), complete: now.getTime() >= to.getTime() },
        recipients: treated,
        control: held,
        lift: treated.rate - held.rate,
      },
    };
  }

  /** G4: every message sent about a product, oldest first, keyset-paged. */
  async productMessages(productId: string, cursor: string | undefined, limit: number) {
    const after = decodeCursor(cursor, 1);
    const rows: {
      message_id: string;
      investor_id: string;
      channel: string;
      campaign_id: string | null;
      title: string;
      body: string;
      sent_by: string;
      sent_at: Date;
      status: string;
      opened_at: Date | null;
    }[] = await this.db.query(
      `SELECT message_id, investor_id, channel, campaign_id, title, body, sent_by, sent_at, status, opened_at FROM reach_messages
          WHERE product_id = $1 ${after ? 'AND message_id > $3' : ''} ORDER BY message_id LIMIT $2`,
      after ? [productId, limit + 1, after[0]] : [productId, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      productId,
      items: page.map((row) => ({
        messageId: row.message_id,
        investorId: row.investor_id,
        channel: row.channel,
        campaignId: row.campaign_id,
        title: row.title,
        body: row.body,
        sentBy: row.sent_by,
        sentAt: iso(row.sent_at) as string,
        status: row.status,
        openedAt: iso(row.opened_at),
      })),
      nextCursor: rows.length > limit && last ? encodeCursor([last.message_id]) : null,
    };
  }

  /**
   * One investor's messages on every channel, oldest first, keyset-paged: what was sent, by whom, how it fared, and the
   * log event that sent it (a campaign's `reach.BatchSent` names many investors; `eventId` is the one to prove by).
   */
  async investorMessages(investorId: string, cursor: string | undefined, limit: number) {
    const after = decodeCursor(cursor, 1);
    const rows: {
      message_id: string;
      channel: string;
      campaign_id: string | null;
      product_id: string | null;
      title: string;
      body: string;
      sent_by: string;
      sent_at: Date;
      status: string;
      delivered_at: Date | null;
      opened_at: Date | null;
      event_id: string | null;
    }[] = await this.db.query(
      `SELECT message_id, channel, campaign_id, product_id, title, body, sent_by, sent_at, status, delivered_at, opened_at, event_id::text AS event_id
         FROM reach_messages WHERE investor_id = $1 ${after ? 'AND message_id > $3' : ''} ORDER BY message_id LIMIT $2`,
      after ? [investorId, limit + 1, after[0]] : [investorId, limit + 1],
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      investorId,
      items: page.map((row) => ({
        messageId: row.message_id,
        channel: row.channel,
        campaignId: row.campaign_id,
        productId: row.product_id,
        title: row.title,
        body: row.body,
        sentBy: row.sent_by,
        sentAt: iso(row.sent_at) as string,
        status: row.status,
        deliveredAt: iso(row.delivered_at),
        openedAt: iso(row.opened_at),
        eventId: row.event_id,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor([last.message_id]) : null,
    };
  }

  /** Every campaign, the newest first (campaign ids are time-ordered), keyset-paged; optionally only one status. */
  async campaigns(status: string | undefined, cursor: string | undefined, limit: number) {
    const after = decodeCursor(cursor, 1);
    const values: unknown[] = [limit + 1];
    const where: string[] = [];
    if (status) where.push(`status = $${values.push(status)}`);
    if (after) where.push(`campaign_id < $${values.push(after[0])}`);
    const rows: {
      campaign_id: string;
      name: string;
      status: string;
      created_by: string;
      created_at: Date;
      started_at: Date | null;
      completed_at: Date | null;
      sent: number;
      opened: number;
      spec: { channel?: string };
    }[] = await this.db.query(
      `SELECT campaign_id, name, status, created_by, created_at, started_at, completed_at, sent, opened, spec FROM reach_campaigns
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY campaign_id DESC LIMIT $1`,
      values,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((row) => ({
        campaignId: row.campaign_id,
        name: row.name,
        status: row.status,
        channel: row.spec.channel ?? null,
        createdBy: row.created_by,
        createdAt: iso(row.created_at) as string,
        startedAt: iso(row.started_at),
        completedAt: iso(row.completed_at),
        sent: row.sent,
        opened: row.opened,
      })),
      nextCursor: rows.length > limit && last ? encodeCursor([last.campaign_id]) : null,
    };
  }

  policy() {
    return this.settings.policy;
  }
}
