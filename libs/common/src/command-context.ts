/**
 * What every command carries besides its payload: who asked, through which channel, when, and how it links to the
 * request that caused it. It becomes the metadata of every event the command produces.
 */
export type Channel = 'app' | 'web' | 'api' | 'staff_console' | 'system';

export interface CommandContext {
  readonly actor: { readonly id: string; readonly roles: readonly string[] };
  readonly correlationId: string;
  readonly causationId?: string;
  readonly idempotencyKey?: string;
  readonly channel: Channel;
  readonly now: Date;
}

/**
 * Who did it, when and through which channel, as new events carry it in their data (docs/development.md, "Who and
 * when in event data"): the regulated record reads back without the store's metadata (E4).
 */
export interface Step {
  readonly actorId: string;
  /** ISO-8601 instant, from the command (never a clock read in the domain). */
  readonly at: string;
  readonly channel: Channel;
}

export const stepOf = (context: CommandContext): Step => ({
  actorId: context.actor.id,
  at: context.now.toISOString(),
  channel: context.channel,
});

export const systemContext = (now: Date, correlationId: string): CommandContext => ({
  actor: { id: 'system', roles: ['system'] },
  correlationId,
  channel: 'system',
  now,
});
