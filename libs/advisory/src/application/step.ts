import { CommandContext } from '@app/common';
import { Step } from '../domain';

/** The evidence stamp every advisory event carries: who, when, through which channel (from the request context). */
export const stepOf = (context: CommandContext): Step => ({ actorId: context.actor.id, at: context.now.toISOString(), channel: context.channel });
