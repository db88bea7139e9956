/** The community read side: feeds with cursor paging, the moderation queue, evidence, host ledgers, sessions. */
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CommandContext, forbidden, invalid, notFound } from '@app/common';
import { AdvisoryQueries } from '@app/advisory';
import { EntitlementsService } from '@app/value-added';
import { CommunityReads } from './reads';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface PostRow {
  post_id: string;
  parent_id: string | null;
  author_id: string;
  body: string;
  kind: string;
  advice_id: string | null;
  advice_product_id: string | null;
  reply_count: number;
  created_at: Date;
}

const post = (row: PostRow) => ({
  postId: row.post_id,
  parentId: row.parent_id,
  authorId: row.author_id,
  body: row.body,
  kind: row.kind,
  adviceId: row.advice_id,
  productId: row.advice_product_id,
  replyCount: row.reply_count,
  createdAt: new Date(row.created_at).toISOString(),
});

const isStaff = (context: CommandContext) => context.actor.roles.includes('compliance_officer');

@Injectable()
export class CommunityQueries {
  private readonly logger = new Logger('CommunityQueries');

  constructor(
    private readonly db: DataSource,
    private readonly reads: CommunityReads,
    private readonly advisory: AdvisoryQueries,
    private readonly entitlements: EntitlementsService,
  ) {}

  async group(groupId: string) {
    const [row] = await this.db.query(`SELECT * FROM community_groups WHERE group_id = $1`, [groupId]);
    if (!row) throw notFound('COMMUNITY.GROUP_NOT_FOUND', `group ${groupId} does not exist`);
    return {
      groupId: row.group_id,
      name: row.name,
      topic: row.topic,
      topicRef: row.topic_ref,
      joining: row.joining,
      welcome: row.welcome,
      ownerId: row.owner_id,
      memberCount: row.member_count,
      postCount: row.post_count,
      createdAt: new Date(row.created_at).toISOString(),
    };
  }

  private async mustRead(groupId: string, context: CommandContext): Promise<void> {
    if (isStaff(context)) {
      await this.reads.group(groupId);
      return;
    }
    if (!(await this.reads.role(groupId, context.actor.id))) {
      await this.reads.group(groupId);
      throw forbidden('COMMUNITY.NOT_A_MEMBER', 'the feed is for members of the group');
    }
  }

  /**
   * Advice posts reach only members for whom the product is a suitable recommendation (A4/SM 22(3), through advisory's
   * read of the member's matching state); the author and compliance see them all.
   */
  private async suitableFilter(rows: PostRow[], context: CommandContext): Promise<PostRow[]> {
    const advice = rows.filter((r) => r.advice_product_id && r.author_id !== context.actor.id);
    if (!advice.length || isStaff(context)) return rows;
    let allowed = new Set<string>();
    try {
      const { items } = await this.advisory.products(context.actor.id, context.now);
      allowed = new Set(items.map((item: { productId: string }) => item.productId));
    } catch (error) {
      this.logger.debug?.(`no matching state for ${context.actor.id}: ${String(error)}`);
    }
    return rows.filter((r) => !r.advice_product_id || r.author_id === context.actor.id || allowed.has(r.advice_product_id));
  }

  /** Newest first; `cursor` is the last post id of the previous page (post ids are time-ordered UUIDv7). */
  async feed(groupId: string, cursor: string | undefined, limit: number, context: CommandContext) {
    if (cursor !== undefined && !UUID.test(cursor))
      throw invalid('COMMUNITY.CURSOR_INVALID', 'the cursor is the nextCursor of a previous page');
    await this.mustRead(groupId, context);
    const rows: PostRow[] = await this.db.query(
      `SELECT post_id, parent_id, author_id, body, kind, advice_id, advice_product_id, reply_count, created_at FROM community_posts
        WHERE group_id = $1 AND parent_id IS NULL AND status = 'visible' AND ($2::uuid IS NULL OR post_id < $2::uuid)
        ORDER BY post_id DESC LIMIT $3`,
      [groupId, cursor ?? null, limit],
    );
    const visible = await this.suitableFilter(rows, context);
    return { items: visible.map(post), nextCursor: rows.length === limit ? rows[rows.length - 1].post_id : null };
  }

  async replies(postId: string, cursor: string | undefined, limit: number, context: CommandContext) {
    if (cursor !== undefined && !UUID.test(cursor))
      throw invalid('COMMUNITY.CURSOR_INVALID', 'the cursor is the nextCursor of a previous page');
    const parent = await this.reads.post(postId);
    await this.mustRead(parent.groupId, context);
    const rows: PostRow[] = await this.db.query(
      `SELECT post_id, parent_id, author_id, body, kind, advice_id, advice_product_id, reply_count, created_at FROM community_posts
        WHERE parent_id = $1 AND status = 'visible' AND ($2::uuid IS NULL OR post_id > $2::uuid) ORDER BY post_id LIMIT $3`,
      [postId, cursor ?? null, limit],
    );
    return { items: rows.map(post), nextCursor: rows.length === limit ? rows[rows.length - 1].post_id : null };
  }

  /** Open reports: compliance sees every group's, a moderator or owner their groups'. */
  async moderationQueue(context: CommandContext) {
    const rows = await this.db.query(
      `SELECT r.report_id, r.post_id, r.group_id, r.author_id, r.reporter_id, r.reason, r.created_at, p.body, p.status AS post_status, p.reports
         FROM community_reports r JOIN community_posts p ON p.post_id = r.post_id
        WHERE r.status = 'open' AND ($1 OR r.group_id IN (SELECT group_id FROM community_members WHERE user_id = $2 AND status = 'member' AND role IN ('owner', 'moderator')))
        ORDER BY r.created_at LIMIT 200`,
      [isStaff(context), context.actor.id],
    );
    return {
      items: rows.map((r: Record<string, unknown>) => ({
        reportId: r.report_id,
        postId: r.post_id,
        groupId: r.group_id,
        authorId: r.author_id,
        reporterId: r.reporter_id,
        reason: r.reason,
        body: r.body,
        postStatus: r.post_status,
        reports: r.reports,
        reportedAt: new Date(r.created_at as string).toISOString(),
      })),
    };
  }

  /** Compliance's evidence: refused posts with the rule that refused them, hidden posts and reported ones. */
  async evidence(status: 'refused' | 'hidden' | 'reported' | undefined, limit: number) {
    const rows = await this.db.query(
      `SELECT post_id, group_id, author_id, body, status, refusal, reports, hidden_reason, created_at FROM community_posts
        WHERE (status <> 'visible' OR reports > 0) AND ($1::text IS NULL OR ($1 = 'reported' AND reports > 0) OR status = $1)
        ORDER BY created_at DESC LIMIT $2`,
      [status ?? null, limit],
    );
    return {
      items: rows.map((r: Record<string, unknown>) => ({
        postId: r.post_id,
        groupId: r.group_id,
        authorId: r.author_id,
        body: r.body,
        status: r.status,
        refusal: r.refusal,
        reports: r.reports,
        hiddenReason: r.hidden_reason,
        createdAt: new Date(r.created_at as string).toISOString(),
      })),
    };
  }

  async moderationActions(groupId: string) {
    const rows = await this.db.query(
      `SELECT user_id, action, reason, post_id, moderator_id, at FROM community_moderation_actions WHERE group_id = $1 ORDER BY at DESC LIMIT 200`,
      [groupId],
    );
    return {
      items: rows.map((r: Record<string, unknown>) => ({
        userId: r.user_id,
        action: r.action,
        reason: r.reason,
        postId: r.post_id,
        moderatorId: r.moderator_id,
        at: new Date(r.at as string).toISOString(),
      })),
    };
  }

  async host(hostId: string) {
    const [row] = await this.db.query(`SELECT host_id, kind, display_name, bio, sac_code FROM community_hosts WHERE host_id = $1`, [
      hostId,
    ]);
    if (!row) throw notFound('COMMUNITY.HOST_NOT_FOUND', `host ${hostId} does not exist`);
    return { hostId: row.host_id, kind: row.kind, displayName: row.display_name, bio: row.bio, sacRegistrationCode: row.sac_code };
  }

  /** The host's balance, ledger lines and payout statements: the host themself, or compliance. */
  async ledger(hostId: string, context: CommandContext) {
    if (hostId !== context.actor.id && !isStaff(context)) throw forbidden('COMMUNITY.NOT_YOUR_LEDGER', 'a host sees their own ledger');
    const [row] = await this.db.query(`SELECT * FROM community_hosts WHERE host_id = $1`, [hostId]);
    if (!row) throw notFound('COMMUNITY.HOST_NOT_FOUND', `host ${hostId} does not exist`);
    const lines = await this.db.query(
      `SELECT kind, ref_id, amount_minor::bigint::text AS amount, gross_minor::bigint::text AS gross, host_bps, currency, at FROM community_host_ledger WHERE host_id = $1 ORDER BY at DESC, event_id DESC LIMIT 200`,
      [hostId],
    );
    const payouts = await this.db.query(`SELECT * FROM community_payouts WHERE host_id = $1 ORDER BY requested_at DESC LIMIT 50`, [hostId]);
    return {
      hostId,
      currency: row.currency,
      balanceMinor: Number(row.balance_minor),
      earnedMinor: Number(row.earned_minor),
      reversedMinor: Number(row.reversed_minor),
      paidOutMinor: Number(row.paid_out_minor),
      inFlightMinor: Number(row.in_flight_minor),
      lines: lines.map((l: Record<string, unknown>) => ({
        kind: l.kind,
        refId: l.ref_id,
        amountMinor: Number(l.amount),
        grossMinor: l.gross === null ? null : Number(l.gross),
        hostBps: l.host_bps,
        currency: l.currency,
        at: new Date(l.at as string).toISOString(),
      })),
      payouts: payouts.map((p: Record<string, unknown>) => ({
        payoutId: p.payout_id,
        amountMinor: Number(p.amount_minor),
        currency: p.currency,
        periodFrom: p.period_from ? new Date(p.period_from as string).toISOString() : null,
        periodTo: new Date(p.period_to as string).toISOString(),
        lines: p.lines,
        status: p.status,
        reference: p.reference,
        reason: p.reason,
        requestedAt: new Date(p.requested_at as string).toISOString(),
      })),
    };
  }

  async session(sessionId: string) {
    const [row] = await this.db.query(`SELECT * FROM community_live_sessions WHERE session_id = $1`, [sessionId]);
    if (!row) throw notFound('COMMUNITY.SESSION_NOT_FOUND', `live session ${sessionId} does not exist`);
    return {
      sessionId: row.session_id,
      groupId: row.group_id,
      hostId: row.host_id,
      title: row.title,
      startsAt: new Date(row.starts_at).toISOString(),
      endsAt: new Date(row.ends_at).toISOString(),
      replayListingId: row.replay_listing_id,
      status: row.status,
      attendance: row.attendance,
      tipsMinor: Number(row.tips_minor),
    };
  }

  /** Replay access: where the replay is sold it is a value-added entitlement to that listing; otherwise members watch it. */
  async replay(sessionId: string, context: CommandContext) {
    const session = await this.reads.session(sessionId);
    if (session.status !== 'ended') throw notFound('COMMUNITY.REPLAY_NOT_READY', 'the replay is available after the session ends');
    if (session.replayListingId) {
      const entitled = (await this.entitlements.at(context.actor.id, context.now)).some((e) => e.listingId === session.replayListingId);
      if (!entitled && !isStaff(context))
        throw forbidden('COMMUNITY.REPLAY_NOT_ENTITLED', `the replay is sold as listing ${session.replayListingId}`);
    } else if (!isStaff(context) && !(await this.reads.role(session.groupId, context.actor.id))) {
      throw forbidden('COMMUNITY.NOT_A_MEMBER', 'the replay is for members of the group');
    }
    return {
      sessionId,
      available: true,
      replayListingId: session.replayListingId,
      url: `/community/live-sessions/${sessionId}/replay/stream`,
    };
  }
}
