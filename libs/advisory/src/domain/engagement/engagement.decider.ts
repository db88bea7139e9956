/**
 * One investor's engagement with one advisory product, from the matching opinion to the end of the contract: A4–A8
 * and L4. The handler passes in fresh snapshots of the investor and the product; the decider compares them with what
 * was recorded at matching, which is how the purchase gate notices anything that changed in between (A7).
 */
import { Decider, DomainError, ruleViolation, unreachable } from '@app/common';
import { completeReturnVisit, rescind } from './after-sale.decisions';
import { EngagementCommand } from './engagement.commands';
import { EngagementEvent } from './engagement.events';
import { EngagementState, evolve } from './engagement.state';
import { confirmDisclosure, match, recordInsistence, signContract, signWarning } from './matching.decisions';
import { applyRerating, purchase, renew, settlePayment } from './purchase.decisions';

export type { AdvisoryProductSnapshot, EngagementCommand } from './engagement.commands';
export type { Engagement, EngagementState } from './engagement.state';

const decide = (command: EngagementCommand, state: EngagementState): EngagementEvent[] | DomainError => {
  if (command.type === 'MatchSuitability') return match(command, state);
  if (state.status === 'none') return ruleViolation('MATCHING.REQUIRED', 'A4', 'obtain a suitability matching opinion first');
  switch (command.type) {
    case 'ConfirmRiskDisclosure':
      return confirmDisclosure(command, state);
    case 'SignSpecialRiskWarning':
      return signWarning(command, state);
    case 'RecordInsistence':
      return recordInsistence(command, state);
    case 'SignContract':
      return signContract(command, state);
    case 'PurchaseSubscription':
      return purchase(command, state);
    case 'RenewSubscription':
      return renew(command, state);
    case 'SettleSubscriptionPayment':
      return settlePayment(command, state);
    case 'ApplyProductRerating':
      return applyRerating(command, state);
    case 'RescindContract':
      return rescind(command, state);
    case 'CompleteReturnVisit':
      return completeReturnVisit(command, state);
    default:
      return unreachable(command);
  }
};

export const engagementDecider: Decider<EngagementCommand, EngagementEvent, EngagementState> = {
  initialState: { status: 'none' },
  decide,
  evolve,
};

export const engagementStreamId = (engagementId: string): string => `advisory.engagement-${engagementId}`;
