/**
 * The channels a message leaves through, behind one port. The in-app inbox is ours (the read model the investor reads);
 * push, SMS and WeChat are providers, here sandbox adapters that record what they were given and fail when configured
 * to. A real provider adapter replaces the sandbox by binding `ChannelGateway` to it.
 */
import { Inject, Injectable } from '@nestjs/common';
import { ReachChannel } from '../domain';
import { REACH_SETTINGS, ReachSettings } from '../application/reach-settings';

export interface OutboundMessage {
  readonly messageId: string;
  readonly investorId: string;
  readonly channel: ReachChannel;
  readonly title: string;
  readonly body: string;
  /** The one-tap unsubscribe link's token (G1). */
  readonly unsubscribeToken: string;
}

export interface SendReport {
  readonly delivered: readonly string[];
  readonly failed: readonly { readonly messageId: string; readonly error: string }[];
}

export abstract class ChannelGateway {
  abstract send(channel: Exclude<ReachChannel, 'in_app'>, messages: readonly OutboundMessage[]): Promise<SendReport>;
}

const RECORD_LIMIT = 10_000;

/** Records deliveries per channel (the latest RECORD_LIMIT); fails every delivery on a failing channel. */
@Injectable()
export class SandboxChannelGateway extends ChannelGateway {
  private readonly failing: Set<ReachChannel>;
  readonly recorded: OutboundMessage[] = [];

  constructor(@Inject(REACH_SETTINGS) settings: ReachSettings) {
    super();
    this.failing = new Set(settings.sandboxFailing);
  }

  /** Sandbox control: make a channel fail (or work again). */
  setFailing(channel: ReachChannel, failing: boolean): void {
    if (failing) this.failing.add(channel);
    else this.failing.delete(channel);
  }

  async send(channel: Exclude<ReachChannel, 'in_app'>, messages: readonly OutboundMessage[]): Promise<SendReport> {
    if (this.failing.has(channel))
      return { delivered: [], failed: messages.map((m) => ({ messageId: m.messageId, error: `sandbox ${channel}: configured to fail` })) };
    this.recorded.push(...messages);
    if (this.recorded.length > RECORD_LIMIT) this.recorded.splice(0, this.recorded.length - RECORD_LIMIT);
    return { delivered: messages.map((m) => m.messageId), failed: [] };
  }
}
