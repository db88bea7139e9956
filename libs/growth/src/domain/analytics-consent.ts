/**
 * G7 / G1: the investor's consent to analytics, given and withdrawn by the investor (PIPL). One stream per investor
 * (`growth.analytics-consent-<investorId>`); its events are in the log and so sealed into the audit log: the consent
 * is evidence of a lawful basis, the activity it allows is not. Only the investor changes their own consent.
 */
import { Decider, DomainEvent, Step, forbidden, unreachable } from '@app/common';

export const analyticsConsentStreamId = (investorId: string) => `growth.analytics-consent-${investorId}`;

export const AnalyticsConsentEventTypes = {
  Given: 'growth.AnalyticsConsentGiven',
  Withdrawn: 'growth.AnalyticsConsentWithdrawn',
} as const;

export type AnalyticsConsentEvent =
  | DomainEvent<typeof AnalyticsConsentEventTypes.Given, { readonly investorId: string; readonly step: Step }>
  | DomainEvent<typeof AnalyticsConsentEventTypes.Withdrawn, { readonly investorId: string; readonly step: Step }>;

export type AnalyticsConsentCommand =
  | { readonly type: 'GiveAnalyticsConsent'; readonly investorId: string; readonly step: Step }
  | { readonly type: 'WithdrawAnalyticsConsent'; readonly investorId: string; readonly step: Step };

export type AnalyticsConsentState =
  | { readonly status: 'never_asked' }
  | { readonly status: 'given'; readonly since: string }
  | { readonly status: 'withdrawn'; readonly since: string };

export const analyticsConsentDecider: Decider<AnalyticsConsentCommand, AnalyticsConsentEvent, AnalyticsConsentState> = {
  initialState: { status: 'never_asked' },
  decide(command, state) {
    // G7: consent is the investor's own; nobody gives or withdraws it for them.
    if (command.step.actorId !== command.investorId)
      return forbidden('GROWTH.CONSENT_NOT_YOURS', 'only the investor gives or withdraws their analytics consent', 'G7');
    switch (command.type) {
      case 'GiveAnalyticsConsent':
        return state.status === 'given'
          ? []
          : [{ type: AnalyticsConsentEventTypes.Given, data: { investorId: command.investorId, step: command.step } }];
      case 'WithdrawAnalyticsConsent':
        return state.status === 'given'
          ? [{ type: AnalyticsConsentEventTypes.Withdrawn, data: { investorId: command.investorId, step: command.step } }]
          : [];
      default:
        return unreachable(command);
    }
  },
  evolve(_state, event) {
    switch (event.type) {
      case AnalyticsConsentEventTypes.Given:
        return { status: 'given', since: event.data.step.at };
      case AnalyticsConsentEventTypes.Withdrawn:
        return { status: 'withdrawn', since: event.data.step.at };
      default:
        return unreachable(event);
    }
  },
};
