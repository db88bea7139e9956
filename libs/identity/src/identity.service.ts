import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { CommandContext, DomainError, IdGenerator, conflict, systemContext } from '@app/common';
import { EventStoreTransaction } from '@app/event-store';
import { AggregateStore, APP_CONFIG, AppConfig, AuthenticatedUser, PiiVault, piiRefOf } from '@app/platform';
import { RegistrationPersonalData, Role, userDecider, userStream } from './domain/user';
import { PasswordHasher } from './infrastructure/password-hasher';

export interface Registration {
  readonly email: string;
  readonly password: string;
  readonly displayName: string;
  readonly dateOfBirth?: string;
  readonly roles: Role[];
}

const isEmailTaken = (error: unknown) =>
  (error as { code?: string }).code === '23505' && (error as { constraint?: string }).constraint === 'credentials_email_key';

/** Registration, credential checks and tokens. State changes go through the user decider like every other command. */
@Injectable()
export class IdentityService {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly hasher: PasswordHasher,
    private readonly ids: IdGenerator,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly vault: PiiVault,
  ) {}

  async register(registration: Registration, context: CommandContext, extra?: (tx: EventStoreTransaction, userId: string) => Promise<void>): Promise<{ userId: string }> {
    const userId = this.ids.next();
    const passwordHash = await this.hasher.hash(registration.password);
    const email = registration.email.trim().toLowerCase();
    // The personal data goes to the vault, in the transaction that records the registration; the log keeps the reference.
    const personalData: RegistrationPersonalData = { email, displayName: registration.displayName, ...(registration.dateOfBirth ? { dateOfBirth: registration.dateOfBirth } : {}) };
    const recordId = this.ids.next();
    const command = { type: 'RegisterUser' as const, userId, piiRef: piiRefOf(userId, recordId), roles: registration.roles, now: context.now.toISOString() };
    try {
      await this.aggregates.execute(userDecider, userStream(userId), command, { ...context, actor: context.actor.id === 'anonymous' ? { id: userId, roles: registration.roles } : context.actor }, {
        alongside: async (tx) => {
          await this.vault.put(userId, recordId, personalData, tx);
          await tx.query('INSERT INTO credentials (user_id, email, password_hash) VALUES ($1, $2, $3)', [userId, email, passwordHash]);
          await extra?.(tx, userId);
        },
      });
    } catch (error) {
      if (isEmailTaken(error)) throw conflict('IDENTITY.EMAIL_TAKEN', 'an account with this email already exists');
      throw error;
    }
    return { userId };
  }

  /** The user behind an email and password, or null. Runs the hash even for unknown emails so timing does not tell. */
  async verifyCredentials(email: string, password: string): Promise<AuthenticatedUser | null> {
    const { rows } = await this.aggregates.events.pool.query<{ user_id: string; email: string; password_hash: string }>(
      'SELECT user_id, email, password_hash FROM credentials WHERE lower(email) = lower($1)',
      [email.trim()],
    );
    const row = rows[0];
    const valid = await this.hasher.verify(password, row?.password_hash ?? `scrypt$${2 ** this.config.passwordHashCost}$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA`);
    if (!row || !valid) return null;
    const { state } = await this.aggregates.load(userDecider, userStream(row.user_id));
    if (state.status !== 'registered') return null;
    return { id: row.user_id, roles: state.roles, email: row.email };
  }

  issueToken(user: AuthenticatedUser): { accessToken: string; tokenType: 'Bearer'; expiresIn: number } {
    return {
      accessToken: this.jwt.sign({ sub: user.id, roles: user.roles, email: user.email }, { expiresIn: this.config.jwtTtlSeconds }),
      tokenType: 'Bearer',
      expiresIn: this.config.jwtTtlSeconds,
    };
  }

  async changeRole(userId: string, role: Role, grant: boolean, context: CommandContext): Promise<void> {
    const by = context.actor;
    const now = context.now.toISOString();
    await this.aggregates.execute(userDecider, userStream(userId), grant ? { type: 'GrantRole', userId, role, by, now } : { type: 'RevokeRole', userId, role, by, now }, context);
  }

  /**
   * Creates the first admin from configuration, once: a marker stream appended with expected revision no_stream in the
   * same transaction makes a second bootstrap (another instance, a restart) a no-op. No password ships with the product.
   */
  async bootstrapAdmin(email: string, password: string, now: Date): Promise<'created' | 'exists'> {
    const marker = 'identity-admin-bootstrap';
    if ((await this.aggregates.events.readStream(marker)).length > 0) return 'exists';
    const context = systemContext(now, this.ids.next());
    try {
      await this.register({ email, password, displayName: 'Administrator', roles: ['admin'] }, context, async (tx, userId) => {
        const [event] = this.aggregates.toNew([{ type: 'identity.AdminBootstrapped', data: { userId, at: now.toISOString() } }], context);
        await tx.append(marker, [event], 'no_stream');
      });
      return 'created';
    } catch (error) {
      if (error instanceof DomainError && (error.code === 'IDENTITY.EMAIL_TAKEN' || error.code === 'CONCURRENCY.CONFLICT')) return 'exists';
      throw error;
    }
  }
}
