/**
 * G1: consent per channel, given and withdrawn by the investor (PIPL). Opt-in: no channel is consented until the
 * investor says so. A withdrawal through the one-tap unsubscribe link is recorded as such.
 */
import { Decider, Step, unreachable } from '@app/common';
import { CHANNELS, ReachChannel } from './policy';

export type ConsentVia = 'settings' | 'unsubscribe_link';

export interface SetChannelConsent {
  readonly type: 'SetChannelConsent';
  readonly investorId: string;
  readonly channel: ReachChannel;
  readonly granted: boolean;
  readonly via: ConsentVia;
  readonly step: Step;
}

export type ConsentEvent =
  | {
      readonly type: 'reach.ChannelConsentGiven';
      readonly data: { readonly investorId: string; readonly channel: ReachChannel; readonly via: ConsentVia; readonly step: Step };
    }
  | {
      readonly type: 'reach.ChannelConsentWithdrawn';
      readonly data: { readonly investorId: string; readonly channel: ReachChannel; readonly via: ConsentVia; readonly step: Step };
    };

export interface ConsentState {
  readonly granted: Readonly<Record<ReachChannel, boolean>>;
}

const none = Object.fromEntries(CHANNELS.map((channel) => [channel, false])) as Record<ReachChannel, boolean>;

export const consentDecider: Decider<SetChannelConsent, ConsentEvent, ConsentState> = {
  initialState: { granted: none },
  decide: (command, state) => {
    // Saying again what is already in force records nothing: the stream holds changes of consent only.
    if (state.granted[command.channel] === command.granted) return [];
    const data = { investorId: command.investorId, channel: command.channel, via: command.via, step: command.step };
    return [command.granted ? { type: 'reach.ChannelConsentGiven', data } : { type: 'reach.ChannelConsentWithdrawn', data }];
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'reach.ChannelConsentGiven':
        return { granted: { ...state.granted, [event.data.channel]: true } };
      case 'reach.ChannelConsentWithdrawn':
        return { granted: { ...state.granted, [event.data.channel]: false } };
      default:
        return unreachable(event);
    }
  },
};

export const consentStreamId = (investorId: string) => `reach.consent-${investorId}`;
