import { checkContent } from '@app/common';
import { deciderSpec } from '@app/common/testing';
import { classifyAdvice } from './advice-detector';
import { PostCommand, PostEvent, PostEventTypes, postDecider } from './post';

const spec = deciderSpec(postDecider);
const step = (actorId = 'u1') => ({ actorId, at: '2026-03-02T02:00:00.000Z', channel: 'app' as const });
const publish = (body: string, adviceRecord: { adviceId: string; productId: string } | null = null): PostCommand => ({
  type: 'PublishPost',
  postId: 'p1',
  groupId: 'g1',
  parentId: null,
  authorId: 'u1',
  body,
  guard: checkContent(body),
  advice: classifyAdvice(body),
  adviceRecord,
  step: step(),
});
const published: PostEvent = {
  type: PostEventTypes.Published,
  data: { postId: 'p1', groupId: 'g1', parentId: null, authorId: 'u1', body: 'hi', kind: 'discussion', adviceRecord: null, step: step() },
};

describe('posts under the rules', () => {
  it('a discussion post is published', () =>
    spec
      .given([])
      .when(publish('大家定投多久了？'))
      .thenMatches([{ type: PostEventTypes.Published, data: { kind: 'discussion' } }]));

  it('V1: a member’s stock tip is refused and kept as evidence with the rule named', () => {
    spec
      .given([])
      .when(publish('明天开盘买入 600519，目标价 2000'))
      .thenMatches([
        {
          type: PostEventTypes.Refused,
          data: { body: '明天开盘买入 600519，目标价 2000', refusal: { code: 'COMMUNITY.UNLICENSED_ADVICE', rule: 'V1' } },
        },
      ]);
  });

  it('V3: a guaranteed-return promise is refused, even from an advisor', () => {
    spec
      .given([])
      .when(publish('跟着老师稳赚不赔', { adviceId: 'a1', productId: 'x' }))
      .thenMatches([{ type: PostEventTypes.Refused, data: { refusal: { code: 'CONTENT.PROHIBITED_PHRASE', rule: 'V3' } } }]);
  });

  it('A9: advice through the advice records is published as advice', () => {
    spec
      .given([])
      .when(publish('600519 目标价 2000，依据见研报', { adviceId: 'a1', productId: 'prod' }))
      .thenMatches([{ type: PostEventTypes.Published, data: { kind: 'advice', adviceRecord: { adviceId: 'a1' } } }]);
  });

  it('reports count once per reporter; the author does not report their own post', () => {
    spec
      .given([published])
      .when({ type: 'ReportPost', reportId: 'r1', reason: '广告', step: step('u2') })
      .thenMatches([{ type: PostEventTypes.Reported, data: { reports: 1 } }]);
    spec
      .given([published])
      .when({ type: 'ReportPost', reportId: 'r1', reason: '广告', step: step('u1') })
      .thenFails('COMMUNITY.OWN_POST');
  });

  it('moderation: hiding needs a moderator and a reason', () => {
    spec
      .given([published])
      .when({ type: 'HidePost', reason: '广告', moderator: false, step: step('u2') })
      .thenFails('COMMUNITY.NOT_A_MODERATOR');
    spec
      .given([published])
      .when({ type: 'HidePost', reason: '', moderator: true, step: step('m') })
      .thenFails('COMMUNITY.REASON_REQUIRED');
    spec
      .given([published])
      .when({ type: 'HidePost', reason: '广告', moderator: true, step: step('m') })
      .thenMatches([{ type: PostEventTypes.Hidden, data: { reason: '广告' } }]);
  });
});
