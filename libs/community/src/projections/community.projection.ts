import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { unreachable } from '@app/common';
import { RecordedEvent } from '@app/event-store';
import { EventProjection, Projection } from '@app/platform';
import {
  CommunityTipEvent,
  CommunityTipEventTypes,
  GroupEvent,
  GroupEventTypes,
  HostEvent,
  HostEventTypes,
  LiveEvent,
  LiveEventTypes,
  MembershipEvent,
  MembershipEventTypes,
  PostEvent,
  PostEventTypes,
} from '../domain';

type CommunityEvent = GroupEvent | MembershipEvent | PostEvent | HostEvent | LiveEvent | CommunityTipEvent;

const KNOWN = new Set<string>([
  ...Object.values(GroupEventTypes),
  ...Object.values(MembershipEventTypes),
  ...Object.values(PostEventTypes),
  ...Object.values(HostEventTypes),
  ...Object.values(LiveEventTypes),
  ...Object.values(CommunityTipEventTypes),
]);

/** The first row an UPDATE … RETURNING gave (TypeORM answers `[rows, affected]` for it). */
const returned = (result: unknown): Record<string, unknown> | undefined => {
  const rows = Array.isArray(result) && Array.isArray(result[0]) ? result[0] : result;
  return Array.isArray(rows) ? (rows[0] as Record<string, unknown> | undefined) : undefined;
};

interface PostRow {
  post_id: string;
  group_id: string;
  parent_id: string | null;
  author_id: string;
  body: string;
  kind: string;
  status: string;
  advice_id: string | null;
  advice_product_id: string | null;
  refusal: unknown;
  created_at: string;
}

/**
 * The community read models (tables in migrations/1765600000000-community.ts). Published and refused posts, the bulk
 * of the traffic, are written by one statement per batch; everything else by one statement per event, in log order
 * (the pending posts are written first, so a post and its hiding in one batch land in that order).
 */
@Injectable()
@EventProjection()
export class CommunityProjection implements Projection {
  readonly name = 'community.read-models';
  readonly tables = [
    'community_groups',
    'community_members',
    'community_posts',
    'community_reports',
    'community_moderation_actions',
    'community_hosts',
    'community_host_ledger',
    'community_payouts',
    'community_live_sessions',
    'community_tips',
  ];

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    let posts: PostRow[] = [];
    const flush = async () => {
      if (!posts.length) return;
      const batch = posts;
      posts = [];
      await manager.query(
        `INSERT INTO community_posts (post_id, group_id, parent_id, author_id, body, kind, status, advice_id, advice_product_id, refusal, created_at)
         SELECT post_id, group_id, parent_id, author_id, body, kind, status, advice_id, advice_product_id, refusal, created_at
           FROM jsonb_to_recordset($1::jsonb) AS p(post_id uuid, group_id uuid, parent_id uuid, author_id uuid, body text, kind text, status text,
                advice_id uuid, advice_product_id uuid, refusal jsonb, created_at timestamptz)
         ON CONFLICT (post_id) DO NOTHING`,
        [JSON.stringify(batch)],
      );
      const visible = batch.filter((p) => p.status === 'visible');
      const counts = new Map<string, number>();
      for (const p of visible) if (!p.parent_id) counts.set(p.group_id, (counts.get(p.group_id) ?? 0) + 1);
      for (const [groupId, n] of counts)
        await manager.query(`UPDATE community_groups SET post_count = post_count + $2 WHERE group_id = $1`, [groupId, n]);
      const replies = new Map<string, number>();
      for (const p of visible) if (p.parent_id) replies.set(p.parent_id, (replies.get(p.parent_id) ?? 0) + 1);
      for (const [parentId, n] of replies)
        await manager.query(`UPDATE community_posts SET reply_count = reply_count + $2 WHERE post_id = $1`, [parentId, n]);
    };
    for (const recorded of events) {
      if (!KNOWN.has(recorded.type)) continue;
      const event = recorded as unknown as CommunityEvent;
      if (event.type === PostEventTypes.Published || event.type === PostEventTypes.Refused) {
        const d = event.data;
        const published = event.type === PostEventTypes.Published;
        posts.push({
          post_id: d.postId,
          group_id: d.groupId,
          parent_id: d.parentId,
          author_id: d.authorId,
          body: d.body,
          kind: published ? event.data.kind : 'refused',
          status: published ? 'visible' : 'refused',
          advice_id: published ? (event.data.adviceRecord?.adviceId ?? null) : null,
          advice_product_id: published ? (event.data.adviceRecord?.productId ?? null) : null,
          refusal: published ? null : event.data.refusal,
          created_at: d.step.at,
        });
        continue;
      }
      await flush();
      await this.one(event, recorded, manager);
    }
    await flush();
  }

  private async one(
    event: Exclude<CommunityEvent, { type: typeof PostEventTypes.Published | typeof PostEventTypes.Refused }>,
    recorded: RecordedEvent,
    m: EntityManager,
  ): Promise<void> {
    switch (event.type) {
      case GroupEventTypes.Created: {
        const d = event.data;
        await m.query(
          `INSERT INTO community_groups (group_id, name, topic, topic_ref, joining, welcome, owner_id, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT DO NOTHING`,
          [d.groupId, d.name, d.topic, d.topicRef, JSON.stringify(d.joining), JSON.stringify(d.welcome), d.ownerId, d.step.at],
        );
        return;
      }
      case MembershipEventTypes.Invited:
        await this.member(m, event.data.groupId, event.data.userId, 'invited', null, event.data.step.at);
        return;
      case MembershipEventTypes.Joined:
        await this.member(m, event.data.groupId, event.data.userId, 'member', event.data.role, event.data.step.at);
        await m.query(`UPDATE community_groups SET member_count = member_count + 1 WHERE group_id = $1`, [event.data.groupId]);
        return;
      case MembershipEventTypes.Left:
        await this.member(m, event.data.groupId, event.data.userId, 'left', null, event.data.step.at);
        await m.query(`UPDATE community_groups SET member_count = member_count - 1 WHERE group_id = $1`, [event.data.groupId]);
        return;
      case MembershipEventTypes.RoleAssigned:
        await m.query(`UPDATE community_members SET role = $3, updated_at = $4 WHERE group_id = $1 AND user_id = $2`, [
          event.data.groupId,
          event.data.userId,
          event.data.role,
          event.data.step.at,
        ]);
        return;
      case MembershipEventTypes.Warned:
      case MembershipEventTypes.Muted:
      case MembershipEventTypes.Banned: {
        const d = event.data;
        const action = event.type === MembershipEventTypes.Warned ? 'warn' : event.type === MembershipEventTypes.Muted ? 'mute' : 'ban';
        await m.query(
          `UPDATE community_members SET offences = $3, updated_at = $4,
                  muted_until = CASE WHEN $5::timestamptz IS NULL THEN muted_until ELSE $5::timestamptz END,
                  status = CASE WHEN $6 THEN 'banned' ELSE status END
            WHERE group_id = $1 AND user_id = $2`,
          [
            d.groupId,
            d.userId,
            d.offences,
            d.step.at,
            event.type === MembershipEventTypes.Muted ? event.data.until : null,
            action === 'ban',
          ],
        );
        if (action === 'ban') await m.query(`UPDATE community_groups SET member_count = member_count - 1 WHERE group_id = $1`, [d.groupId]);
        await m.query(
          `INSERT INTO community_moderation_actions (event_id, group_id, user_id, action, reason, moderator_id, at) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING`,
          [recorded.id, d.groupId, d.userId, action, d.reason, d.step.actorId, d.step.at],
        );
        return;
      }
      case MembershipEventTypes.PostHiddenCounted:
        await m.query(`UPDATE community_members SET offences = $3 WHERE group_id = $1 AND user_id = $2`, [
          event.data.groupId,
          event.data.userId,
          event.data.offences,
        ]);
        return;
      case MembershipEventTypes.PostPaced:
        return;
      case PostEventTypes.Reported: {
        const d = event.data;
        await m.query(`UPDATE community_posts SET reports = $2 WHERE post_id = $1`, [d.postId, d.reports]);
        await m.query(
          `INSERT INTO community_reports (report_id, post_id, group_id, author_id, reporter_id, reason, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7) ON CONFLICT DO NOTHING`,
          [d.reportId, d.postId, d.groupId, d.authorId, d.step.actorId, d.reason, d.step.at],
        );
        return;
      }
      case PostEventTypes.Hidden: {
        const d = event.data;
        const row = returned(
          await m.query(
            `UPDATE community_posts SET status = 'hidden', hidden_reason = $2 WHERE post_id = $1 AND status = 'visible' RETURNING parent_id`,
            [d.postId, d.reason],
          ),
        );
        if (row && !row.parent_id)
          await m.query(`UPDATE community_groups SET post_count = post_count - 1 WHERE group_id = $1`, [d.groupId]);
        await m.query(`UPDATE community_reports SET status = 'actioned' WHERE post_id = $1 AND status = 'open'`, [d.postId]);
        await m.query(
          `INSERT INTO community_moderation_actions (event_id, group_id, user_id, action, reason, post_id, moderator_id, at) VALUES ($1,$2,$3,'hide',$4,$5,$6,$7) ON CONFLICT DO NOTHING`,
          [recorded.id, d.groupId, d.authorId, d.reason, d.postId, d.step.actorId, d.step.at],
        );
        return;
      }
      case HostEventTypes.Registered: {
        const d = event.data;
        await m.query(
          `INSERT INTO community_hosts (host_id, kind, display_name, bio, sac_code, registered_at) VALUES ($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING`,
          [d.hostId, d.kind, d.displayName, d.bio, d.sacRegistrationCode, d.step.at],
        );
        return;
      }
      case HostEventTypes.TipCredited: {
        const d = event.data;
        await m.query(
          `UPDATE community_hosts SET balance_minor = balance_minor + $2, earned_minor = earned_minor + $2, currency = $3 WHERE host_id = $1`,
          [d.hostId, d.hostShare.amountMinor, d.hostShare.currency],
        );
        await this.ledger(
          m,
          recorded.id,
          d.hostId,
          'tip_credit',
          d.tipId,
          d.hostShare.amountMinor,
          d.hostShare.currency,
          d.step.at,
          d.gross.amountMinor,
          d.hostBps,
        );
        return;
      }
      case HostEventTypes.TipReversed: {
        const d = event.data;
        await m.query(
          `UPDATE community_hosts SET balance_minor = balance_minor - $2, reversed_minor = reversed_minor + $2 WHERE host_id = $1`,
          [d.hostId, d.hostShare.amountMinor],
        );
        await this.ledger(m, recorded.id, d.hostId, `tip_${d.cause}`, d.tipId, -d.hostShare.amountMinor, d.hostShare.currency, d.step.at);
        return;
      }
      case HostEventTypes.PayoutRequested: {
        const d = event.data;
        await m.query(
          `UPDATE community_hosts SET balance_minor = balance_minor - $2, in_flight_minor = in_flight_minor + $2 WHERE host_id = $1`,
          [d.hostId, d.amount.amountMinor],
        );
        await m.query(
          `INSERT INTO community_payouts (payout_id, host_id, amount_minor, currency, period_from, period_to, lines, status, requested_at) VALUES ($1,$2,$3,$4,$5,$6,$7,'requested',$8) ON CONFLICT DO NOTHING`,
          [d.payoutId, d.hostId, d.amount.amountMinor, d.amount.currency, d.periodFrom, d.periodTo, JSON.stringify(d.lines), d.step.at],
        );
        await this.ledger(m, recorded.id, d.hostId, 'payout', d.payoutId, -d.amount.amountMinor, d.amount.currency, d.step.at);
        return;
      }
      case HostEventTypes.PayoutCompleted: {
        const d = event.data;
        await m.query(
          `UPDATE community_hosts SET in_flight_minor = in_flight_minor - $2, paid_out_minor = paid_out_minor + $2 WHERE host_id = $1`,
          [d.hostId, d.amount.amountMinor],
        );
        await m.query(`UPDATE community_payouts SET status = 'paid', reference = $2, settled_at = $3 WHERE payout_id = $1`, [
          d.payoutId,
          d.reference,
          d.step.at,
        ]);
        return;
      }
      case HostEventTypes.PayoutFailed: {
        const d = event.data;
        await m.query(
          `UPDATE community_hosts SET in_flight_minor = in_flight_minor - $2, balance_minor = balance_minor + $2 WHERE host_id = $1`,
          [d.hostId, d.amount.amountMinor],
        );
        await m.query(`UPDATE community_payouts SET status = 'failed', reason = $2, settled_at = $3 WHERE payout_id = $1`, [
          d.payoutId,
          d.reason,
          d.step.at,
        ]);
        await this.ledger(m, recorded.id, d.hostId, 'payout_returned', d.payoutId, d.amount.amountMinor, d.amount.currency, d.step.at);
        return;
      }
      case LiveEventTypes.Scheduled: {
        const d = event.data;
        await m.query(
          `INSERT INTO community_live_sessions (session_id, group_id, host_id, title, starts_at, ends_at, replay_listing_id, status) VALUES ($1,$2,$3,$4,$5,$6,$7,'scheduled') ON CONFLICT DO NOTHING`,
          [d.sessionId, d.groupId, d.hostId, d.title, d.startsAt, d.endsAt, d.replayListingId],
        );
        return;
      }
      case LiveEventTypes.Started:
        await m.query(`UPDATE community_live_sessions SET status = 'live' WHERE session_id = $1`, [event.data.sessionId]);
        return;
      case LiveEventTypes.Ended:
        await m.query(`UPDATE community_live_sessions SET status = 'ended' WHERE session_id = $1`, [event.data.sessionId]);
        return;
      case LiveEventTypes.Attended:
        await m.query(`UPDATE community_live_sessions SET attendance = attendance + 1 WHERE session_id = $1`, [event.data.sessionId]);
        return;
      case CommunityTipEventTypes.Sent: {
        const d = event.data;
        await m.query(
          `INSERT INTO community_tips (tip_id, investor_id, host_id, target_kind, target_id, amount_minor, currency, message, payment_id, status, sent_at)
           VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,'sent',$10) ON CONFLICT DO NOTHING`,
          [
            d.tipId,
            d.investorId,
            d.hostId,
            d.target.kind,
            d.target.id,
            d.amount.amountMinor,
            d.amount.currency,
            d.message,
            d.paymentId,
            d.step.at,
          ],
        );
        return;
      }
      case CommunityTipEventTypes.Paid: {
        const row = returned(
          await m.query(`UPDATE community_tips SET status = 'paid' WHERE tip_id = $1 RETURNING target_kind, target_id`, [event.data.tipId]),
        );
        if (row?.target_kind === 'live_session')
          await m.query(`UPDATE community_live_sessions SET tips_minor = tips_minor + $2 WHERE session_id = $1`, [
            row.target_id,
            event.data.amount.amountMinor,
          ]);
        return;
      }
      case CommunityTipEventTypes.Failed:
        await m.query(`UPDATE community_tips SET status = 'failed' WHERE tip_id = $1`, [event.data.tipId]);
        return;
      case CommunityTipEventTypes.Reversed: {
        const d = event.data;
        // Reversals recorded before partial refunds carry no `reversed`: they gave back the whole tip.
        const reversal = {
          cause: d.cause,
          reason: d.reason,
          refundId: d.refundId,
          amountMinor: (d.reversed ?? d.amount).amountMinor,
          at: d.step.at,
        };
        await m.query(
          `UPDATE community_tips SET reversed_minor = LEAST(amount_minor, reversed_minor + $3), reversal = $2, reversals = reversals || jsonb_build_array($2::jsonb),
             status = CASE WHEN $4 OR reversed_minor + $3 >= amount_minor THEN 'reversed' ELSE status END
           WHERE tip_id = $1`,
          [d.tipId, JSON.stringify(reversal), reversal.amountMinor, d.cause === 'chargeback'],
        );
        return;
      }
      default:
        return unreachable(event);
    }
  }

  private async member(m: EntityManager, groupId: string, userId: string, status: string, role: string | null, at: string): Promise<void> {
    await m.query(
      `INSERT INTO community_members (group_id, user_id, status, role, updated_at) VALUES ($1,$2,$3,$4,$5)
       ON CONFLICT (group_id, user_id) DO UPDATE SET status = EXCLUDED.status, role = EXCLUDED.role, updated_at = EXCLUDED.updated_at`,
      [groupId, userId, status, role, at],
    );
  }

  private async ledger(
    m: EntityManager,
    eventId: string,
    hostId: string,
    kind: string,
    refId: string,
    amountMinor: number,
    currency: string,
    at: string,
    grossMinor: number | null = null,
    hostBps: number | null = null,
  ) {
    await m.query(
      `INSERT INTO community_host_ledger (event_id, host_id, kind, ref_id, amount_minor, gross_minor, host_bps, currency, at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT DO NOTHING`,
      [eventId, hostId, kind, refId, amountMinor, grossMinor, hostBps, currency, at],
    );
  }
}
