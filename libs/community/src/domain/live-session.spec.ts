import { checkContent } from '@app/common';
import { deciderSpec } from '@app/common/testing';
import { LiveCommand, LiveEvent, LiveEventTypes, liveSessionDecider } from './live-session';

const spec = deciderSpec(liveSessionDecider);
const step = (actorId = 'h1') => ({ actorId, at: '2026-03-02T02:00:00.000Z', channel: 'app' as const });
const schedule = (over: Partial<Extract<LiveCommand, { type: 'ScheduleSession' }>> = {}): LiveCommand => ({
  type: 'ScheduleSession',
  sessionId: 's1',
  groupId: 'g1',
  hostId: 'h1',
  hostRole: 'host',
  hostRegistered: true,
  title: '定投入门',
  titleCheck: checkContent('定投入门'),
  startsAt: '2026-03-02T12:00:00.000Z',
  endsAt: '2026-03-02T13:00:00.000Z',
  replayListingId: null,
  step: step(),
  ...over,
});
const scheduled = spec.given([]).when(schedule()).thenEvents() as LiveEvent[];
const started: LiveEvent = { type: LiveEventTypes.Started, data: { sessionId: 's1', groupId: 'g1', step: step() } };

describe('live sessions', () => {
  it('the group’s host with a host profile schedules a session', () => {
    expect(scheduled).toMatchObject([{ type: LiveEventTypes.Scheduled, data: { sessionId: 's1', hostId: 'h1' } }]);
  });
  it('a member without the host role, or without a host profile, does not', () => {
    spec
      .given([])
      .when(schedule({ hostRole: 'member' }))
      .thenFails('COMMUNITY.NOT_GROUP_HOST');
    spec
      .given([])
      .when(schedule({ hostRegistered: false }))
      .thenFails('COMMUNITY.NOT_A_HOST');
  });
  it('V3: the title passes the content guard', () => {
    spec
      .given([])
      .when(schedule({ title: '稳赚不赔的秘诀', titleCheck: checkContent('稳赚不赔的秘诀') }))
      .thenFails('CONTENT.PROHIBITED_PHRASE', 'V3');
  });
  it('a session ends after it starts', () => {
    spec
      .given([])
      .when(schedule({ endsAt: '2026-03-02T11:00:00.000Z' }))
      .thenFails('COMMUNITY.SESSION_TIMES');
  });
  it('only its host starts it; members attend once, while live', () => {
    spec
      .given(scheduled)
      .when({ type: 'StartSession', step: step('other') })
      .thenFails('COMMUNITY.NOT_SESSION_HOST');
    spec
      .given(scheduled)
      .when({ type: 'Attend', memberId: 'm1', isMember: true, step: step('m1') })
      .thenFails('COMMUNITY.SESSION_NOT_LIVE');
    const attended = spec
      .given([...scheduled, started])
      .when({ type: 'Attend', memberId: 'm1', isMember: true, step: step('m1') })
      .thenEvents();
    expect(attended).toMatchObject([{ type: LiveEventTypes.Attended, data: { memberId: 'm1' } }]);
    spec
      .given([...scheduled, started, ...attended])
      .when({ type: 'Attend', memberId: 'm1', isMember: true, step: step('m1') })
      .then([]);
    spec
      .given([...scheduled, started])
      .when({ type: 'Attend', memberId: 'x', isMember: false, step: step('x') })
      .thenFails('COMMUNITY.NOT_A_MEMBER');
  });
  it('ending records the attendance', () => {
    const attended: LiveEvent = {
      type: LiveEventTypes.Attended,
      data: { sessionId: 's1', groupId: 'g1', memberId: 'm1', step: step('m1') },
    };
    spec
      .given([...scheduled, started, attended])
      .when({ type: 'EndSession', step: step() })
      .thenMatches([{ type: LiveEventTypes.Ended, data: { attendance: 1 } }]);
  });
});
