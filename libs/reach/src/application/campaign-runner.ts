/**
 * Runs campaigns: starts them (on request, when due, or when their market trigger fires), fans them out batch by
 * batch from the segment (the growth context's AudienceQuery, evaluated as of the start), and hands sent messages to
 * the provider channels. Outside quiet hours only (G2): in quiet hours nothing goes out, and the next tick after they
 * end carries on where the campaign stopped. A run interrupted by a crash carries on the same way, from the cursor
 * of its last recorded batch.
 *
 * Per batch: the control group is held out; recipients without consent to the channel (G1, from the consents read
 * model) and, for an advisory product, those whose matching opinion does not allow it (G3) are counted by refusal
 * code; each remaining recipient's contact is attributed (G4) and the caps decide (G2) in the batch's one append.
 */
import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Clock, CommandContext, IdGenerator, notFound, systemContext } from '@app/common';
import { AudienceQuery, SegmentSpec } from '@app/growth';
import { AggregateStore, APP_CONFIG, AppConfig, JsonLogger } from '@app/platform';
import {
  beijingDay,
  campaignDecider,
  campaignStreamId,
  CampaignState,
  inControlGroup,
  MessageDraft,
  NO_CONSENT,
  quietUntil,
  ReachChannel,
  triggerFires,
} from '../domain';
import { ChannelGateway, OutboundMessage } from '../infrastructure/channels';
import { MarketData } from '@app/market-data';
import { CompleteCampaignCommand, FanOutBatchCommand, StartCampaignCommand } from './commands/campaign.handlers';
import { ReportDeliveriesCommand } from './commands/message.handlers';
import { REACH_SETTINGS, ReachSettings } from './reach-settings';
import { ReachCompliance } from './reach-compliance';
import { UnsubscribeTokens } from './unsubscribe-tokens';

export interface RunOutcome {
  readonly campaignId: string;
  readonly status: CampaignState['status'];
  readonly batches: number;
  /** Set when quiet hours stopped the run: when it carries on (G2). */
  readonly deferredUntil: string | null;
}

const DISPATCH_BATCH = 500;

@Injectable()
export class CampaignRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly commands: CommandBus,
    private readonly aggregates: AggregateStore,
    private readonly audience: AudienceQuery,
    private readonly compliance: ReachCompliance,
    private readonly gateway: ChannelGateway,
    private readonly market: MarketData,
    private readonly tokens: UnsubscribeTokens,
    private readonly db: DataSource,
    private readonly logger: JsonLogger,
    @Inject(Clock) private readonly clock: Clock,
    @Inject(IdGenerator) private readonly ids: IdGenerator,
    @Inject(REACH_SETTINGS) private readonly settings: ReachSettings,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.settings.tickMs === 0 || this.config.env.PROJECTIONS_DISABLED === 'true') return;
    const loop = () => {
      this.timer = setTimeout(() => {
        this.running = this.serial(() => this.tick(this.clock.now()))
          .catch((error: unknown) => this.logger.error(`reach tick failed: ${String(error)}`, undefined, 'CampaignRunner'))
          .finally(() => {
            if (!this.stopped) loop();
          });
      }, this.settings.tickMs);
    };
    loop();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** One run at a time in this process: a request and the scheduler never fan out the same campaign side by side. */
  private queue: Promise<unknown> = Promise.resolve();
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** The scheduler's pass: interrupted and due campaigns, triggers, then deliveries to the provider channels. */
  async tick(now: Date): Promise<{ ran: string[]; dispatched: number }> {
    const ran: string[] = [];
    if (quietUntil(this.settings.policy, now.toISOString()) === null) {
      const open: {
        campaign_id: string;
        status: string;
        spec: { schedule: { kind: string; indexCode?: string; risePercent?: number; at?: string } };
      }[] = await this.db.query(
        `SELECT campaign_id, status, spec FROM reach_campaigns WHERE status IN ('scheduled', 'running') ORDER BY created_at`,
      );
      for (const row of open) {
        const context = systemContext(now, this.ids.next());
        const schedule = row.spec.schedule;
        if (row.status === 'running') {
          await this.fanOut(row.campaign_id, context);
          ran.push(row.campaign_id);
        } else if (schedule.kind === 'at' && schedule.at && Date.parse(schedule.at) <= now.getTime()) {
          await this.commands.execute(new StartCampaignCommand(row.campaign_id, 'schedule', null, context));
          await this.fanOut(row.campaign_id, context);
          ran.push(row.campaign_id);
        } else if (schedule.kind === 'index_rise' && schedule.indexCode) {
          const day = await this.market.indexDay(schedule.indexCode, beijingDay(now.toISOString()));
          const fact = day ? { indexCode: day.indexCode, date: day.date, changePercent: day.changePercent } : null;
          if (
            fact &&
            triggerFires({ kind: 'index_rise', indexCode: schedule.indexCode, risePercent: schedule.risePercent ?? Infinity }, fact)
          ) {
            await this.commands.execute(new StartCampaignCommand(row.campaign_id, 'trigger', fact, context));
            await this.fanOut(row.campaign_id, context);
            ran.push(row.campaign_id);
          }
        }
      }
    }
    const dispatched = await this.dispatch(now);
    return { ran, dispatched };
  }

  /** Starts a campaign now (the product team's "run") and fans it out unless quiet hours defer it. */
  run(campaignId: string, context: CommandContext): Promise<RunOutcome> {
    return this.serial(async () => {
      await this.commands.execute(new StartCampaignCommand(campaignId, 'manual', null, context));
      return this.fanOut(campaignId, context);
    });
  }

  private async fanOut(campaignId: string, context: CommandContext): Promise<RunOutcome> {
    const { state } = await this.aggregates.load(campaignDecider, campaignStreamId(campaignId));
    if (state.status !== 'running') {
      if (state.status === 'none') throw notFound('REACH.CAMPAIGN_NOT_FOUND', `no campaign ${campaignId}`);
      return { campaignId, status: state.status, batches: state.status === 'completed' ? state.batches : 0, deferredUntil: null };
    }
    const { spec, startedAt } = state;
    const caps = this.settings.policy.caps[spec.channel];
    let cursor = state.cursor;
    let batches = state.batches;
    for (;;) {
      const now = this.clock.now();
      const deferredUntil = quietUntil(this.settings.policy, now.toISOString());
      if (deferredUntil) return { campaignId, status: 'running', batches, deferredUntil };
      const batchContext: CommandContext = { ...context, now };
      const page = await this.audience.page(spec.segment as unknown as SegmentSpec, new Date(startedAt), cursor, this.settings.batchSize);
      if (page.length === 0) {
        const done = await this.commands.execute(new CompleteCampaignCommand(campaignId, batchContext));
        return { ...done, deferredUntil: null };
      }
      const control = page.filter((investorId) => inControlGroup(campaignId, investorId, spec.controlPercent));
      const held = new Set(control);
      const targets = page.filter((investorId) => !held.has(investorId));
      const consented = await this.consentedAmong(targets, spec.channel);
      const refused: Record<string, number> = {};
      const refuse = (code: string) => (refused[code] = (refused[code] ?? 0) + 1);
      const messages: MessageDraft[] = [];
      for (const investorId of targets) {
        if (!consented.has(investorId)) {
          refuse(NO_CONSENT.code);
          continue;
        }
        const refusal = await this.compliance.refusalFor(investorId, spec.template, now);
        if (refusal) {
          refuse(refusal.code);
          continue;
        }
        await this.compliance.attribute(investorId, spec.template, 'campaign', campaignId, batchContext);
        messages.push({
          messageId: this.ids.next(),
          investorId,
          channel: spec.channel,
          campaignId,
          productId: spec.template.productId,
          title: spec.template.title,
          body: spec.template.body,
        });
      }
      const last = page[page.length - 1];
      await this.commands.execute(
        new FanOutBatchCommand(
          campaignId,
          { batch: batches + 1, after: cursor, last, attempted: messages.length, refused, control },
          messages,
          caps,
          batchContext,
        ),
      );
      cursor = last;
      batches += 1;
    }
  }

  private async consentedAmong(investorIds: readonly string[], channel: ReachChannel): Promise<Set<string>> {
    if (investorIds.length === 0) return new Set();
    const rows: { investor_id: string }[] = await this.db.query(
      `SELECT investor_id FROM reach_consents WHERE channel = $1 AND granted AND investor_id = ANY($2::text[])`,
      [channel, investorIds],
    );
    return new Set(rows.map((row) => row.investor_id));
  }

  /** Sent messages on provider channels go to the gateway, outside quiet hours; the outcome is recorded as an event. */
  async dispatch(now: Date): Promise<number> {
    if (quietUntil(this.settings.policy, now.toISOString()) !== null) return 0;
    const rows: { message_id: string; investor_id: string; channel: Exclude<ReachChannel, 'in_app'>; title: string; body: string }[] =
      await this.db.query(
        `SELECT message_id, investor_id, channel, title, body FROM reach_messages WHERE status = 'sent' ORDER BY sent_at, message_id LIMIT ${DISPATCH_BATCH}`,
      );
    const byChannel = new Map<Exclude<ReachChannel, 'in_app'>, OutboundMessage[]>();
    for (const row of rows) {
      const list = byChannel.get(row.channel) ?? [];
      list.push({
        messageId: row.message_id,
        investorId: row.investor_id,
        channel: row.channel,
        title: row.title,
        body: row.body,
        unsubscribeToken: this.tokens.issue(row.investor_id, row.channel),
      });
      byChannel.set(row.channel, list);
    }
    for (const [channel, messages] of byChannel) {
      const report = await this.gateway.send(channel, messages);
      await this.commands.execute(
        new ReportDeliveriesCommand(this.ids.next(), channel, report.delivered, report.failed, systemContext(now, this.ids.next())),
      );
    }
    return rows.length;
  }
}
