/**
 * Runs campaigns: starts them (on request, when due, or when their market trigger fires), fans them out batch by
 * batch from the segment (the growth context's AudienceQuery, evaluated as of the start), and hands sent messages to
 * the provider channels. Outside quiet hours only (G2): in quiet hours nothing goes out, and the next tick after they
 * end carries on where the campaign stopped. A run interrupted by a crash carries on the same way, from the cursor
 * of its last recorded batch.
 *
 * Per batch: the control group is held out; recipients without consent to the channel (G1, from the consents read
 * model) and, for an advisory product, those whose matching opinion does not allow it (G3) are counted by refusal
 * code; each remaining recipient's contact is attributed (G4) and the caps decide (G2) in the batch's one append (a
 * `reach.BatchSent` listing the recipients, with the campaign's checkpoint and the cap counters raised beside it).
 * Several batches are prepared side by side (REACH_FANOUT_AHEAD) and appended in order.
 */
import { Inject, Injectable, OnApplicationBootstrap, BeforeApplicationShutdown } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { Clock, CommandContext, IdGenerator, notFound, systemContext } from '@app/common';
import { AudienceQuery, SegmentSpec } from '@app/growth';
import { AggregateStore, APP_CONFIG, AppConfig, JsonLogger } from '@app/platform';
import {
  BatchRecipient,
  beijingDay,
  campaignDecider,
  CampaignSpec,
  campaignStreamId,
  CampaignState,
  inControlGroup,
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
import { inParallel } from './in-parallel';
import { CapCounters } from '../infrastructure/cap-counters';

export interface RunOutcome {
  readonly campaignId: string;
  readonly status: CampaignState['status'];
  readonly batches: number;
  /** Set when quiet hours stopped the run: when it carries on (G2). */
  readonly deferredUntil: string | null;
}

const DISPATCH_BATCH = 500;
/** Investors whose matching opinion is read and contact attributed at once, per batch (G3, G4). */
const ADVISORY_CHECKS_IN_PARALLEL = 8;

interface PreparedBatch {
  readonly refused: Record<string, number>;
  readonly control: string[];
  readonly recipients: BatchRecipient[];
}

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
    private readonly capCounters: CapCounters,
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
    await this.capCounters.prune(now);
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
    const asOf = new Date(startedAt);
    let cursor = state.cursor;
    let batches = state.batches;

    // Pages (REACH_BATCH_SIZE investors) are read one after the other (each starts after the last one read); each
    // page's checks start as soon as it is read, up to `fanOutAhead` pages ahead of the append. Batches are appended in
    // order, one at a time: a batch is the next page and every page after it already prepared.
    const ahead: { after: string | null; last: string; prepared: Promise<PreparedBatch>; ready?: PreparedBatch }[] = [];
    let pageCursor = cursor;
    let exhausted = false;
    let paging: Promise<void> = Promise.resolve();
    let pagingDone = true;
    const fill = async () => {
      while (!exhausted && ahead.length < this.settings.fanOutAhead) {
        const after = pageCursor;
        const page = await this.audience.page(spec.segment as unknown as SegmentSpec, asOf, after, this.settings.batchSize);
        if (page.length === 0) {
          exhausted = true;
          return;
        }
        const last = page[page.length - 1];
        pageCursor = last;
        const entry: (typeof ahead)[number] = { after, last, prepared: this.prepare(campaignId, spec, page, context) };
        // Awaited in order below; this keeps a failure of a page further ahead from going unhandled meanwhile.
        entry.prepared.then((batch) => (entry.ready = batch)).catch(() => undefined);
        ahead.push(entry);
      }
    };
    const refill = () => {
      if (!pagingDone || exhausted) return;
      pagingDone = false;
      paging = fill().finally(() => (pagingDone = true));
      paging.catch(() => undefined);
    };
    try {
      for (;;) {
        const now = this.clock.now();
        const deferredUntil = quietUntil(this.settings.policy, now.toISOString());
        if (deferredUntil) return { campaignId, status: 'running', batches, deferredUntil };
        const batchContext: CommandContext = { ...context, now };
        if (ahead.length === 0) {
          refill();
          await paging;
        }
        const next = ahead.shift();
        if (!next) {
          const done = await this.commands.execute(new CompleteCampaignCommand(campaignId, batchContext));
          return { ...done, deferredUntil: null };
        }
        // The next page, and with it every following page already prepared: one append for all of them, so the
        // appends (one at a time, in order) carry more recipients when they are the slower part.
        const pages = [{ after: next.after, last: next.last, batch: await next.prepared }];
        while (ahead.length > 0 && ahead[0].ready) {
          const page = ahead.shift() as (typeof ahead)[number];
          pages.push({ after: page.after, last: page.last, batch: page.ready as PreparedBatch });
        }
        refill();
        const refused: Record<string, number> = {};
        for (const { batch } of pages) for (const [code, n] of Object.entries(batch.refused)) refused[code] = (refused[code] ?? 0) + n;
        const last = pages[pages.length - 1].last;
        await this.commands.execute(
          new FanOutBatchCommand(
            campaignId,
            { batch: batches + 1, after: next.after, last, refused, control: pages.flatMap(({ batch }) => batch.control) },
            pages.flatMap(({ batch }) => batch.recipients),
            caps,
            batchContext,
          ),
        );
        cursor = last;
        batches += 1;
      }
    } finally {
      // Nothing of this run keeps working after it returns (quiet hours, a failure, shutdown).
      await Promise.allSettled([paging, ...ahead.map((batch) => batch.prepared)]);
    }
  }

  /**
   * One page's checks: the control group held out, consent (G1) from the consents read model, and for a message about
   * an advisory product the investor's matching opinion (G3) and the contact's attribution (G4), a few investors at a
   * time. Each remaining recipient gets a message id; the caps (G2) decide them with the batch's append.
   */
  private async prepare(campaignId: string, spec: CampaignSpec, page: readonly string[], context: CommandContext): Promise<PreparedBatch> {
    const now = this.clock.now();
    const control = page.filter((investorId) => inControlGroup(campaignId, investorId, spec.controlPercent));
    const held = new Set(control);
    const targets = page.filter((investorId) => !held.has(investorId));
    const consented = await this.consentedAmong(targets, spec.channel);
    const refused: Record<string, number> = {};
    const refuse = (code: string) => (refused[code] = (refused[code] ?? 0) + 1);
    const passed: string[] = [];
    for (const investorId of targets) {
      if (consented.has(investorId)) passed.push(investorId);
      else refuse(NO_CONSENT.code);
    }
    let allowed = passed;
    if (spec.template.productFamily === 'advisory') {
      const checkContext: CommandContext = { ...context, now };
      const verdicts = await inParallel(passed, ADVISORY_CHECKS_IN_PARALLEL, async (investorId) => {
        const refusal = await this.compliance.refusalFor(investorId, spec.template, now);
        if (!refusal) await this.compliance.attribute(investorId, spec.template, 'campaign', campaignId, checkContext);
        return refusal;
      });
      allowed = passed.filter((_investorId, i) => {
        const refusal = verdicts[i];
        if (refusal) refuse(refusal.code);
        return refusal === null;
      });
    }
    return { refused, control, recipients: allowed.map((investorId) => ({ messageId: this.ids.next(), investorId })) };
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
