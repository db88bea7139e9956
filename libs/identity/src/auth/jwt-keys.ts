import { createHash, createSecretKey, KeyObject } from 'node:crypto';
import { AppConfig } from '@app/platform';

/**
 * The JWT signing key and the keys still accepted. Each token names its key in the header (`kid`): a fingerprint of the
 * secret, so operators name nothing and a kid never changes meaning. Rotation: move the current JWT_SECRET into
 * JWT_PREVIOUS_SECRETS and set a new JWT_SECRET; once the longest token lifetime has passed, drop the old one.
 * A token without a kid (issued before tokens carried one) is checked against the signing key.
 */
export const keyIdOf = (secret: string): string => createHash('sha256').update(`jwt-kid\u0000${secret}`).digest('base64url').slice(0, 16);

export class JwtKeys {
  readonly signingKeyId: string;
  private readonly keys = new Map<string, KeyObject>();

  constructor(config: Pick<AppConfig, 'jwtSecret' | 'jwtPreviousSecrets'>) {
    this.signingKeyId = keyIdOf(config.jwtSecret);
    // KeyObjects made once: given a string, the JWT library tries to parse it as a public key on every request and
    // falls back to a secret key only after that throws, which costs more than the rest of a simple request.
    for (const secret of [config.jwtSecret, ...config.jwtPreviousSecrets])
      this.keys.set(keyIdOf(secret), createSecretKey(Buffer.from(secret, 'utf8')));
  }

  /** The key that verifies a token with this header's kid, or undefined for a kid no configured secret has. */
  verifying(kid: unknown): KeyObject | undefined {
    return this.keys.get(typeof kid === 'string' ? kid : this.signingKeyId);
  }
}

/** The `kid` of a compact JWT's header, without verifying anything. */
export const headerKeyId = (token: string): unknown => {
  try {
    return (JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString('utf8')) as { kid?: unknown }).kid;
  } catch {
    return undefined;
  }
};
