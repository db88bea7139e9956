/**
 * Rate limit for the public, login-free log routes: a token bucket per client address, in memory (each instance limits
 * on its own). AUDIT_PUBLIC_RATE_LIMIT requests per minute per address, with bursts up to the same number; over it,
 * 429 LOG.RATE_LIMITED with Retry-After in whole seconds.
 */
import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { DomainError } from '@app/common';
import { APP_CONFIG, AppConfig, ConfigError } from '@app/platform';

/** Above this many tracked addresses, full buckets (addresses idle long enough to have refilled) are forgotten. */
const MAX_TRACKED = 10_000;

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly capacity: number,
    perMinute: number,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Takes a token for `key` at `nowMs`: 0 when allowed, otherwise the milliseconds until a token is available. */
  take(key: string, nowMs: number): number {
    const bucket = this.buckets.get(key) ?? { tokens: this.capacity, at: nowMs };
    bucket.tokens = Math.min(this.capacity, bucket.tokens + (nowMs - bucket.at) * this.perMs);
    bucket.at = nowMs;
    if (!this.buckets.has(key)) {
      if (this.buckets.size >= MAX_TRACKED) this.forgetFull(nowMs);
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.perMs);
  }

  private forgetFull(nowMs: number): void {
    for (const [key, bucket] of this.buckets)
      if (bucket.tokens + (nowMs - bucket.at) * this.perMs >= this.capacity) this.buckets.delete(key);
  }
}

@Injectable()
export class PublicRateLimitGuard implements CanActivate {
  private readonly buckets: TokenBuckets;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const raw = config.env.AUDIT_PUBLIC_RATE_LIMIT;
    const perMinute = raw === undefined || raw === '' ? 60 : Number(raw);
    if (!Number.isInteger(perMinute) || perMinute < 1)
      throw new ConfigError([
        `AUDIT_PUBLIC_RATE_LIMIT=${JSON.stringify(raw)}: expected a positive integer (requests per minute per address)`,
      ]);
    this.buckets = new TokenBuckets(perMinute, perMinute);
  }

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    const waitMs = this.buckets.take(request.ip ?? request.socket.remoteAddress ?? 'unknown', Date.now());
    if (waitMs === 0) return true;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    http.getResponse<Response>().setHeader('Retry-After', String(seconds));
    throw new DomainError('rate_limited', 'LOG.RATE_LIMITED', `too many requests from this address; retry in ${seconds} s`, undefined, {
      retryAfterSeconds: seconds,
    });
  }
}
