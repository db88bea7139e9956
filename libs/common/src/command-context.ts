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

export const systemContext = (now: Date, correlationId: string): CommandContext => ({
  actor: { id: 'system', roles: ['system'] },
  correlationId,
  channel: 'system',
  now,
});
