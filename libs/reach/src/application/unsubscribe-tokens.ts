/**
 * G1: the one-tap unsubscribe link. A token names the investor and the channel and is signed (HMAC-SHA256), so the link
 * works without login and cannot be forged for someone else; it never expires, because withdrawing consent must
 * always be possible. It carries no personal data beyond the investor's opaque id.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { invalid } from '@app/common';
import { isChannel, ReachChannel } from '../domain';
import { REACH_SETTINGS, ReachSettings } from './reach-settings';

@Injectable()
export class UnsubscribeTokens {
  constructor(@Inject(REACH_SETTINGS) private readonly settings: ReachSettings) {}

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.settings.unsubscribeSecret).update(payload).digest();
  }

  issue(investorId: string, channel: ReachChannel): string {
    const payload = Buffer.from(JSON.stringify([investorId, channel])).toString('base64url');
    return `u1.${payload}.${this.mac(payload).toString('base64url')}`;
  }

  verify(token: string): { investorId: string; channel: ReachChannel } {
    const bad = invalid('REACH.UNSUBSCRIBE_TOKEN_INVALID', 'the unsubscribe link is not valid', 'G1');
    const [version, payload, signature, ...rest] = token.split('.');
    if (version !== 'u1' || !payload || !signature || rest.length) throw bad;
    const given = Buffer.from(signature, 'base64url');
    const expected = this.mac(payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw bad;
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw bad;
    }
    if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || !isChannel(parsed[1])) throw bad;
    return { investorId: parsed[0], channel: parsed[1] };
  }
}
