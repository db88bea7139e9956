import { deciderSpec } from '@app/common/testing';
import { ConsentEvent, consentDecider, SetChannelConsent } from './consent';

const spec = deciderSpec(consentDecider);
const step = { actorId: 'inv-1', at: '2026-12-02T02:00:00.000Z', channel: 'app' as const };
const set = (channel: SetChannelConsent['channel'], granted: boolean, via: SetChannelConsent['via'] = 'settings'): SetChannelConsent => ({
  type: 'SetChannelConsent',
  investorId: 'inv-1',
  channel,
  granted,
  via,
  step,
});
const given = (channel: SetChannelConsent['channel']): ConsentEvent => ({
  type: 'reach.ChannelConsentGiven',
  data: { investorId: 'inv-1', channel, via: 'settings', step },
});

describe('channel consent (G1)', () => {
  it('G1: given nothing, when the investor opts in to push, then consent to push is given', () => {
    spec
      .given([])
      .when(set('push', true))
      .then([given('push')]);
  });
  it('G1: given consent to push, when the investor taps unsubscribe, then it is withdrawn through the link', () => {
    spec
      .given([given('push')])
      .when(set('push', false, 'unsubscribe_link'))
      .then([{ type: 'reach.ChannelConsentWithdrawn', data: { investorId: 'inv-1', channel: 'push', via: 'unsubscribe_link', step } }]);
  });
  it('G1: given no consent, when the investor unsubscribes again, then nothing is recorded (one tap is enough, two do no harm)', () => {
    spec
      .given([])
      .when(set('sms', false, 'unsubscribe_link'))
      .then([]);
  });
  it('G1: consent is per channel: given push, SMS is still not consented', () => {
    const state = [given('push')].reduce(consentDecider.evolve, consentDecider.initialState);
    expect(state.granted).toEqual({ in_app: false, push: true, sms: false, wechat: false });
  });
});
