/** The JSON logger (pino), with secrets and personal data redacted. */
import { LoggerService } from '@nestjs/common';
import pino, { DestinationStream, Logger } from 'pino';

type Level = 'debug' | 'info' | 'warn' | 'error';

/** Field names whose values never reach a log line, at any of the first three levels of a logged object. */
const SECRET_FIELDS = [
  'authorization',
  'cookie',
  'password',
  'currentPassword',
  'newPassword',
  'accessToken',
  'refreshToken',
  'token',
  'secret',
  'nationalId',
  'idNumber',
  'phone',
];
export const REDACTED_PATHS = SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`]);

/** Nest's start-up chatter (one line per module and per route): useful when debugging wiring, noise otherwise. */
const START_UP_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer']);

/**
 * Structured logs: one JSON object per line on stdout (pino), with a level, an ISO time, a context and any fields
 * given; secrets and personal data listed above are replaced by "[redacted]". Nest logs through it, the HTTP access log
 * shares its pino instance (`pino`), and application code calls `event(level, context, fields)`.
 */
export class JsonLogger implements LoggerService {
  readonly pino: Logger;

  constructor(level: Level = 'info', destination?: DestinationStream) {
    this.pino = pino(
      {
        level,
        base: undefined,
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      },
      destination ?? pino.destination({ dest: 1, sync: true }),
    );
  }

  private write(level: Level, message: unknown, context?: string, fields?: Record<string, unknown>): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const line: Record<string, unknown> = { context, ...fields };
    if (message instanceof Error) this.pino[level]({ ...line, stack: message.stack }, message.message);
    else if (typeof message === 'object' && message !== null) this.pino[level]({ ...line, ...message });
    else this.pino[level](line, String(message));
  }

  log(message: unknown, context?: string): void {
    this.write(context && START_UP_CONTEXTS.has(context) ? 'debug' : 'info', message, context);
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.write('error', message, context, trace ? { stack: trace } : undefined);
  }
  warn(message: unknown, context?: string): void {
    this.write('warn', message, context);
  }
  debug(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  verbose(message: unknown, context?: string): void {
    this.write('debug', message, context);
  }
  event(level: Level, context: string, fields: Record<string, unknown>): void {
    this.write(level, fields, context);
  }
}
