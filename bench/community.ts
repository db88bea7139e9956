/**
 * Community under load at 32 connections, each against GET /me (a trivial authenticated route) on the same app, in
 * interleaved rounds: POST /community/groups/:id/posts (membership read, content guard, advice detector, post stream
 * appended with the membership as a condition, read-your-writes wait) and GET /community/groups/:id/feed (membership
 * check, then a page of 20 from a 100,000-post group by the feed index).
 *
 * The group's 100,000 posts are seeded through the event store (batched appends of PostPublished events, 2,000 post
 * streams per statement) and reach the read model by the projection, so the log and the feed agree as in production.
 */
import { randomUUID } from 'node:crypto';
import { stepOf } from '@app/common';
import { PostEventTypes, postStreamId } from '@app/community';
import { EventStore } from '@app/event-store';
import { metadataOf } from '@app/platform';
import { DataSource } from 'typeorm';
import { interleaved, ratio, startBenchApp, startBenchDatabase } from './support';

const CONNECTIONS = 32;
const TOTAL_MS = 8_000;
const SEEDED_POSTS = 100_000;
const SEED_BATCH = 2_000;

const uuidV7At = (ms: number, n: number): string => {
  const time = ms.toString(16).padStart(12, '0');
  const rand = randomUUID().replace(/-/g, '');
  const seq = n.toString(16).padStart(8, '0').slice(-8);
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${seq.slice(0, 3)}-${(8 + (parseInt(seq[3], 16) & 3)).toString(16)}${seq.slice(4, 7)}-${seq.slice(7)}${rand.slice(0, 11)}`;
};

export async function run(): Promise<Record<string, unknown>> {
  const db = await startBenchDatabase('community');
  const bench = await startBenchApp(db.url, { PASSWORD_HASH_COST: '10', SUBSCRIPTION_JOB_INTERVAL_MS: '0' });
  try {
    const call = async (method: string, path: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
      const response = await fetch(`${bench.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    let n = 0;
    const user = async () => {
      const email = `bench${++n}-${randomUUID()}@example.com`;
      const registered = await call('POST', '/auth/register', undefined, {
        email,
        password: 'a-long-enough-password',
        displayName: `Bench ${n}`,
      });
      return { token: registered.accessToken as string, userId: registered.userId as string };
    };
    const owner = await user();
    const { groupId } = await call('POST', '/community/groups', owner.token, {
      name: '指数定投学习营',
      topic: 'learning_path',
      joining: 'open',
      welcome: { introduction: '欢迎，本群只聊方法，不荐股', firstTask: '做一次风险测评' },
    });
    const members = await Promise.all(Array.from({ length: CONNECTIONS }, user));
    await Promise.all(members.map((m) => call('POST', `/community/groups/${groupId}/join`, m.token)));

    // Seed: 100k posts by the members, as events through the store, then the projection.
    const seedStarted = Date.now();
    const store = bench.app.get(EventStore);
    const base = Date.now() - SEEDED_POSTS * 1000;
    for (let offset = 0; offset < SEEDED_POSTS; offset += SEED_BATCH) {
      const appends = [];
      for (let i = offset; i < Math.min(SEEDED_POSTS, offset + SEED_BATCH); i++) {
        const author = members[i % members.length];
        const at = new Date(base + i * 1000);
        const context = {
          actor: { id: author.userId, roles: ['investor'] },
          correlationId: randomUUID(),
          channel: 'app' as const,
          now: at,
        };
        const postId = uuidV7At(at.getTime(), i);
        const event = {
          type: PostEventTypes.Published,
          data: {
            postId,
            groupId,
            parentId: null,
            authorId: author.userId,
            body: `第 ${i} 帖：定投心得分享，坚持长期投资`,
            kind: 'discussion',
            adviceRecord: null,
            step: stepOf(context),
          },
        };
        appends.push({
          streamId: postStreamId(postId),
          events: [{ id: randomUUID(), type: event.type, data: event.data as Record<string, unknown>, metadata: metadataOf(context) }],
          expected: 'no_stream' as const,
        });
      }
      await store.appendMany(appends);
    }
    const dataSource = bench.app.get(DataSource);
    for (;;) {
      const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM community_posts WHERE group_id = $1`, [groupId]);
      if (count >= SEEDED_POSTS) break;
      await new Promise((done) => setTimeout(done, 250));
    }
    const seedSeconds = Math.round((Date.now() - seedStarted) / 100) / 10;
    await dataSource.query(`ANALYZE community_posts`);

    const reader = members[0];
    const me = async (writer: number) => {
      await call('GET', '/me', members[writer % members.length].token);
      return 1;
    };
    let posted = 0;
    const post = async (writer: number) => {
      await call('POST', `/community/groups/${groupId}/posts`, members[writer % members.length].token, {
        body: `今天学习了指数基金的估值方法 #${++posted}，大家怎么看？`,
      });
      return 1;
    };
    const feed = async () => {
      const page = await call('GET', `/community/groups/${groupId}/feed?limit=20`, reader.token);
      if (page.items.length !== 20) throw new Error(`expected a page of 20, got ${page.items.length}`);
      return 1;
    };
    const reads = await interleaved(CONNECTIONS, TOTAL_MS, me, feed);
    const writes = await interleaved(CONNECTIONS, TOTAL_MS, me, post);
    const [{ count: groupPosts }] = await dataSource.query(`SELECT count(*)::int AS count FROM community_posts WHERE group_id = $1`, [
      groupId,
    ]);
    return {
      connections: CONNECTIONS,
      seededPosts: SEEDED_POSTS,
      seedSeconds,
      groupPostsAtEnd: groupPosts,
      meRequestsPerSecond: Math.round((reads.baseline + writes.baseline) / 2),
      feedRequestsPerSecond: reads.subject,
      postRequestsPerSecond: writes.subject,
      ratios: {
        feed_vs_me: ratio(reads.subject, reads.baseline),
        post_vs_me: ratio(writes.subject, writes.baseline),
      },
    };
  } finally {
    await bench.close();
    await db.stop();
  }
}
