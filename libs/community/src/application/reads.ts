/** Lookups in the community read models that handlers need before deciding (what a group is, where a post lives). */
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { notFound } from '@app/common';
import { GroupFacts, GroupRole } from '../domain';

@Injectable()
export class CommunityReads {
  constructor(private readonly db: DataSource) {}

  async group(groupId: string): Promise<GroupFacts> {
    const [row] = await this.db.query(
      `SELECT group_id, name, topic, topic_ref, joining, welcome, owner_id FROM community_groups WHERE group_id = $1`,
      [groupId],
    );
    if (!row) throw notFound('COMMUNITY.GROUP_NOT_FOUND', `group ${groupId} does not exist`);
    return {
      groupId: row.group_id,
      name: row.name,
      topic: row.topic,
      topicRef: row.topic_ref,
      joining: row.joining,
      welcome: row.welcome,
      ownerId: row.owner_id,
    };
  }

  /** The user's role in the group when they are a member. */
  /** The group's current members, ascending by id, after `after` (reach's `group_members` audience pages through them). */
  async groupExists(groupId: string): Promise<boolean> {
    const rows: unknown[] = await this.db.query(`SELECT 1 FROM community_groups WHERE group_id = $1`, [groupId]);
    return rows.length > 0;
  }

  async membersPage(groupId: string, after: string | null, limit: number): Promise<readonly string[]> {
    const rows: { user_id: string }[] = await this.db.query(
      `SELECT user_id::text AS user_id FROM community_members WHERE group_id = $1 AND status = 'member' AND ($2::uuid IS NULL OR user_id > $2::uuid) ORDER BY user_id LIMIT $3`,
      [groupId, after, limit],
    );
    return rows.map((row) => row.user_id);
  }

  async role(groupId: string, userId: string): Promise<GroupRole | null> {
    const [row] = await this.db.query(`SELECT role FROM community_members WHERE group_id = $1 AND user_id = $2 AND status = 'member'`, [
      groupId,
      userId,
    ]);
    return row?.role ?? null;
  }

  /** Whether the user is muted in the group now (from the read model: a pre-check before side effects elsewhere). */
  async mutedUntil(groupId: string, userId: string, now: Date): Promise<string | null> {
    const [row] = await this.db.query(
      `SELECT muted_until FROM community_members WHERE group_id = $1 AND user_id = $2 AND muted_until > $3`,
      [groupId, userId, now],
    );
    return row ? new Date(row.muted_until).toISOString() : null;
  }

  async post(postId: string): Promise<{ postId: string; groupId: string; authorId: string; parentId: string | null; status: string }> {
    const [row] = await this.db.query(`SELECT post_id, group_id, author_id, parent_id, status FROM community_posts WHERE post_id = $1`, [
      postId,
    ]);
    if (!row || row.status === 'refused') throw notFound('COMMUNITY.POST_NOT_FOUND', `post ${postId} does not exist`);
    return { postId: row.post_id, groupId: row.group_id, authorId: row.author_id, parentId: row.parent_id, status: row.status };
  }

  async session(
    sessionId: string,
  ): Promise<{ sessionId: string; groupId: string; hostId: string; status: string; replayListingId: string | null }> {
    const [row] = await this.db.query(
      `SELECT session_id, group_id, host_id, status, replay_listing_id FROM community_live_sessions WHERE session_id = $1`,
      [sessionId],
    );
    if (!row) throw notFound('COMMUNITY.SESSION_NOT_FOUND', `live session ${sessionId} does not exist`);
    return {
      sessionId: row.session_id,
      groupId: row.group_id,
      hostId: row.host_id,
      status: row.status,
      replayListingId: row.replay_listing_id,
    };
  }

  async isHost(userId: string): Promise<boolean> {
    const [row] = await this.db.query(`SELECT 1 FROM community_hosts WHERE host_id = $1`, [userId]);
    return Boolean(row);
  }

  async tip(tipId: string): Promise<{
    tipId: string;
    investorId: string;
    hostId: string;
    paymentId: string;
    amountMinor: number;
    reversedMinor: number;
    status: string;
  }> {
    const [row] = await this.db.query(
      `SELECT tip_id, investor_id, host_id, payment_id, amount_minor::int AS amount_minor, reversed_minor::int AS reversed_minor, status FROM community_tips WHERE tip_id = $1`,
      [tipId],
    );
    if (!row) throw notFound('COMMUNITY.TIP_NOT_FOUND', `tip ${tipId} does not exist`);
    return {
      tipId: row.tip_id,
      investorId: row.investor_id,
      hostId: row.host_id,
      paymentId: row.payment_id,
      amountMinor: row.amount_minor,
      reversedMinor: row.reversed_minor,
      status: row.status,
    };
  }
}
