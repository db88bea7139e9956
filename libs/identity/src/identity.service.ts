import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createHash, randomUUID } from 'node:crypto';
import {
  CommandContext,
  DomainError,
  IdGenerator,
  canonicalJson,
  conflict,
  forbidden,
  fold,
  invalid,
  notFound,
  systemContext,
} from '@app/common';
import {
  AggregateStore,
  APP_CONFIG,
  AppConfig,
  AuthenticatedUser,
  ConfigError,
  FollowOn,
  Metrics,
  PiiVault,
  SideWrite,
  followOn,
  piiRefOf,
} from '@app/platform';
import { ADMIN_BOOTSTRAP_STREAM, adminBootstrapDecider } from './domain/admin-bootstrap';
import { sessionOf } from './domain/session';
import { RegistrationPersonalData, Role, UserEvent, userDecider, userStream } from './domain/user';
import { unauthenticated } from './errors';
import { Credentials, credentialOf, isEmailTaken, passwordOf } from './infrastructure/credentials';
import { PasswordHasher } from './infrastructure/password-hasher';
import { SessionsView } from './projections/sessions.projection';
import { RegistrationKeyRecorded, RegistrationRecords } from './infrastructure/registration-records';
import { Limits, Rate } from './throttling/limits';
import { PgThrottlerStorage } from './throttling/pg-throttler-storage';
import { rateLimited } from './throttling/throttle.guards';

export interface Registration {
  readonly email: string;
  readonly password: string;
  readonly displayName: string;
  readonly dateOfBirth?: string;
  readonly roles: Role[];
}

export interface IssuedToken {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
}

/** Provider token of the configured Limits. */
export const LIMITS = Symbol('IDENTITY_LIMITS');

const LOGIN_FAILURES = 'login-failures';
const REGISTRATIONS = 'registrations';
const KEY_PATTERN = /^[\w.:-]{1,200}$/;

const normalise = (email: string) => email.trim().toLowerCase();

/**
 * Registration, credential checks, tokens and sessions. State changes go through the user decider like every other
 * command; credentials and rate-limit counters are kept outside the log.
 */
@Injectable()
export class IdentityService {
  private readonly idempotencyTtlMs: number;

  constructor(
    private readonly aggregates: AggregateStore,
    private readonly hasher: PasswordHasher,
    private readonly ids: IdGenerator,
    private readonly jwt: JwtService,
    private readonly counters: PgThrottlerStorage,
    @Inject(LIMITS) private readonly limits: Limits,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly vault: PiiVault,
    private readonly metrics: Metrics,
    private readonly credentials: Credentials,
    private readonly registrations: RegistrationRecords,
    private readonly sessions: SessionsView,
  ) {
    const hours = Number(config.env.IDEMPOTENCY_TTL_HOURS ?? 48);
    if (!Number.isInteger(hours) || hours < 24)
      throw new ConfigError([`IDEMPOTENCY_TTL_HOURS=${config.env.IDEMPOTENCY_TTL_HOURS}: expected an integer of at least 24`]);
    this.idempotencyTtlMs = hours * 3_600_000;
  }

  /**
   * A new user: the registration on their stream, their personal data in the vault and their credential, in one
   * transaction; `also` adds what else follows from it (the key's record, the bootstrap marker).
   */
  async register(
    registration: Registration,
    context: CommandContext,
    also: (userId: string) => { sideWrites?: SideWrite[]; followOns?: FollowOn[] } = () => ({}),
  ): Promise<{ userId: string }> {
    const userId = this.ids.next();
    const passwordHash = await this.hasher.hash(registration.password);
    const email = normalise(registration.email);
    // The personal data goes to the vault, in the transaction that records the registration; the log keeps the reference.
    const personalData: RegistrationPersonalData = {
      email,
      displayName: registration.displayName,
      ...(registration.dateOfBirth ? { dateOfBirth: registration.dateOfBirth } : {}),
    };
    const recordId = this.ids.next();
    const command = {
      type: 'RegisterUser' as const,
      userId,
      piiRef: piiRefOf(userId, recordId),
      roles: registration.roles,
      now: context.now.toISOString(),
    };
    try {
      const more = also(userId);
      const actor = context.actor.id === 'anonymous' ? { id: userId, roles: registration.roles } : context.actor;
      await this.aggregates.handle(userDecider, userStream(userId), command, { ...context, actor }, () => undefined, {
        sideWrites: () => [
          this.vault.putAlong(userId, recordId, personalData),
          credentialOf(userId, email, passwordHash),
          ...(more.sideWrites ?? []),
        ],
        followOns: () => more.followOns ?? [],
      });
    } catch (error) {
      if (isEmailTaken(error)) throw conflict('IDENTITY.EMAIL_TAKEN', 'an account with this email already exists');
      throw error;
    }
    return { userId };
  }

  /**
   * Self-registration of an investor: throttled per email (REGISTRATION_RATE_LIMIT), and idempotent when the client
   * sends an Idempotency-Key. The key is recorded in the registration's own transaction, so a retry after a lost answer
   * finds it and gets the same user (with a new token) rather than IDENTITY.EMAIL_TAKEN. The record keeps no token and
   * no password: its request hash covers the email, name and date of birth, and a replay must prove the password
   * against the stored credential; otherwise it is a different request with the same key (422 IDEMPOTENCY.KEY_REUSED).
   */
  async registerInvestor(
    registration: Omit<Registration, 'roles'>,
    context: CommandContext,
  ): Promise<{ userId: string; replayed: boolean }> {
    const email = normalise(registration.email);
    await this.count(
      REGISTRATIONS,
      email,
      this.limits.registrationsPerAccount,
      'RATE.TOO_MANY_REGISTRATIONS',
      'too many registrations for this email; retry later',
    );
    const key = context.idempotencyKey;
    if (key === undefined) return { ...(await this.register({ ...registration, roles: ['investor'] }, context)), replayed: false };
    if (!KEY_PATTERN.test(key)) throw invalid('IDEMPOTENCY.KEY_INVALID', 'an Idempotency-Key is 1 to 200 letters, digits, or . _ : -');
    const requestHash = createHash('sha256')
      .update(
        canonicalJson({
          method: 'POST',
          path: '/auth/register',
          body: { email, displayName: registration.displayName, dateOfBirth: registration.dateOfBirth ?? null },
        }),
      )
      .digest('hex');
    const earlier = await this.recordedRegistration(key, requestHash, registration.password, context.now);
    if (earlier) return { userId: earlier, replayed: true };
    try {
      const expiresAt = new Date(context.now.getTime() + this.idempotencyTtlMs);
      const { userId } = await this.register({ ...registration, roles: ['investor'] }, context, (userId) => ({
        sideWrites: [this.registrations.recordAlong(key, requestHash, userId, context.now, expiresAt)],
      }));
      return { userId, replayed: false };
    } catch (error) {
      // A concurrent request with the key won (or took the email): its record answers.
      const recorded = await this.recordedRegistration(key, requestHash, registration.password, context.now);
      if (recorded) return { userId: recorded, replayed: true };
      if (error instanceof RegistrationKeyRecorded)
        throw conflict('IDEMPOTENCY.IN_PROGRESS', 'a request with this Idempotency-Key is being processed; retry shortly');
      throw error;
    }
  }

  /** The user an earlier registration with this key created, once the password is proven; 422 for another request. */
  private async recordedRegistration(key: string, requestHash: string, password: string, now: Date): Promise<string | undefined> {
    const record = await this.registrations.find(key, now);
    if (!record) return undefined;
    const reused = () =>
      new DomainError('rule_violation', 'IDEMPOTENCY.KEY_REUSED', 'this Idempotency-Key was used for a different request');
    if (record.requestHash !== requestHash || !record.userId || !record.passwordHash) throw reused();
    if (!(await this.hasher.verify(password, record.passwordHash))) throw reused();
    return record.userId;
  }

  /**
   * Email and password to a token. Refused before any hashing while the account is locked out; a wrong password counts
   * towards the lockout (LOGIN_FAILURE_LIMIT), whose start is recorded on the account as identity.LoginLockedOut; a
   * hash weaker than today's parameters is replaced.
   */
  async login(emailGiven: string, password: string, context: CommandContext, userAgent: string | null = null): Promise<IssuedToken> {
    const email = normalise(emailGiven);
    await this.refuseWhileLockedOut(email).catch((error: unknown) => {
      this.metrics.loginsFailed.inc({ reason: 'locked_out' });
      throw error;
    });
    const row = await this.credentials.byEmail(email);
    // Runs the hash even for unknown emails, so timing does not tell which exist.
    const valid = await this.hasher.verify(password, row?.passwordHash ?? this.hasher.decoy());
    if (!row || !valid) {
      this.metrics.loginsFailed.inc({ reason: 'invalid_credentials' });
      await this.failedPassword(email, row?.userId, context);
      throw unauthenticated('AUTH.INVALID_CREDENTIALS', 'email or password is wrong');
    }
    const { user, session } = await this.current(row.userId, context.now);
    if (user.status !== 'registered') throw unauthenticated('AUTH.INVALID_CREDENTIALS', 'email or password is wrong');
    if (user.disabled) {
      this.metrics.loginsFailed.inc({ reason: 'disabled' });
      throw forbidden('AUTH.USER_DISABLED', 'this account is disabled');
    }
    if (this.limits.loginFailures.limit > 0) await this.counters.reset(LOGIN_FAILURES, email);
    if (this.hasher.needsRehash(row.passwordHash))
      await this.credentials.rehash(row.userId, row.passwordHash, await this.hasher.hash(password));
    return this.openSession({ id: row.userId, roles: user.roles, email: row.email }, session.version, context, userAgent);
  }

  /** A new password ends every session; the answer is a token for a new one. */
  async changePassword(
    user: AuthenticatedUser,
    currentPassword: string,
    newPassword: string,
    context: CommandContext,
    userAgent: string | null = null,
  ): Promise<IssuedToken> {
    const row = await this.credentials.ofUser(user.id);
    if (!row) throw unauthenticated('AUTH.UNAUTHENTICATED', 'a valid bearer token is required');
    const email = normalise(row.email);
    await this.refuseWhileLockedOut(email);
    if (!(await this.hasher.verify(currentPassword, row.passwordHash))) {
      await this.failedPassword(email, user.id, context);
      throw unauthenticated('AUTH.INVALID_CREDENTIALS', 'the current password is wrong');
    }
    const passwordHash = await this.hasher.hash(newPassword);
    const roles = await this.aggregates.handle(
      userDecider,
      userStream(user.id),
      { type: 'RecordPasswordChange', userId: user.id, now: context.now.toISOString() },
      context,
      ({ state }) => (state.status === 'registered' ? state.roles : []),
      { sideWrites: () => [passwordOf(user.id, passwordHash)] },
    );
    const { session } = await this.current(user.id, context.now);
    return this.openSession({ id: user.id, roles, email: row.email }, session.version, context, userAgent);
  }

  /** Ends the session the token belongs to, or every session of the user. */
  async logout(
    user: AuthenticatedUser & { sessionId?: string; expiresAt: string },
    everywhere: boolean,
    context: CommandContext,
  ): Promise<void> {
    const now = context.now.toISOString();
    const command =
      everywhere || !user.sessionId
        ? { type: 'EndSessions' as const, userId: user.id, by: context.actor, now }
        : { type: 'EndSession' as const, userId: user.id, sessionId: user.sessionId, expiresAt: user.expiresAt, now };
    await this.aggregates.handle(userDecider, userStream(user.id), command, context, () => undefined, { waitForProjections: false });
  }

  /** One session of a user ends (an admin who sees a session they do not trust); 404 when it is not active. Answered once the session list shows it ended. */
  async endSession(userId: string, sessionId: string, context: CommandContext): Promise<void> {
    const active = await this.sessions.active(userId, context.now);
    const session = active.find((candidate) => candidate.sessionId === sessionId);
    if (!session) throw notFound('IDENTITY.SESSION_NOT_FOUND', 'the user has no active session with this id');
    await this.aggregates.handle(
      userDecider,
      userStream(userId),
      { type: 'EndSession', userId, sessionId, expiresAt: session.expiresAt, now: context.now.toISOString() },
      context,
      () => undefined,
    );
  }

  /** Every session of a user ends (an admin's response to a stolen token, short of disabling the user). */
  async endSessions(userId: string, context: CommandContext): Promise<void> {
    await this.aggregates.handle(
      userDecider,
      userStream(userId),
      { type: 'EndSessions', userId, by: context.actor, now: context.now.toISOString() },
      context,
      // The admin's session list reads the ended sessions from the read model: answered once it has them.
      () => undefined,
    );
  }

  /** An admin disables or re-enables a user; disabling ends every session. The acting admin must still be an enabled admin. */
  async setDisabled(userId: string, disabled: boolean, reason: string, context: CommandContext): Promise<void> {
    const by = context.actor;
    const now = context.now.toISOString();
    await this.aggregates.handle(
      userDecider,
      userStream(userId),
      async (reads) => {
        const actorState = by.id === userId ? { status: 'none' as const } : (await reads.load(userDecider, userStream(by.id))).state;
        return disabled
          ? { type: 'DisableUser' as const, userId, by, actorState, reason, now }
          : { type: 'EnableUser' as const, userId, by, actorState, reason, now };
      },
      context,
      () => undefined,
    );
  }

  /**
   * A token for a new session, recorded on the user's stream first (identity.SessionStarted: its id, expiry and user
   * agent), so that an admin can list the user's sessions and end one of them.
   */
  async openSession(
    user: AuthenticatedUser,
    sessionVersion: number,
    context: CommandContext,
    userAgent: string | null,
  ): Promise<IssuedToken> {
    const sessionId = randomUUID();
    const expiresAt = new Date(context.now.getTime() + this.config.jwtTtlSeconds * 1000).toISOString();
    await this.aggregates.handle(
      userDecider,
      userStream(user.id),
      { type: 'StartSession', userId: user.id, sessionId, expiresAt, userAgent, now: context.now.toISOString() },
      context,
      () => undefined,
      { waitForProjections: false },
    );
    return this.issueToken(user, sessionVersion, sessionId);
  }

  /** A token for a new session; its header names the signing key (`kid`, see JwtKeys). */
  issueToken(user: AuthenticatedUser, sessionVersion = 0, sessionId: string = randomUUID()): IssuedToken {
    return {
      accessToken: this.jwt.sign(
        { sub: user.id, roles: user.roles, email: user.email, sv: sessionVersion, sid: sessionId },
        { expiresIn: this.config.jwtTtlSeconds },
      ),
      tokenType: 'Bearer',
      expiresIn: this.config.jwtTtlSeconds,
    };
  }

  async changeRole(userId: string, role: Role, grant: boolean, context: CommandContext): Promise<void> {
    const by = context.actor;
    const now = context.now.toISOString();
    await this.aggregates.handle(
      userDecider,
      userStream(userId),
      grant ? { type: 'GrantRole', userId, role, by, now } : { type: 'RevokeRole', userId, role, by, now },
      context,
      () => undefined,
    );
  }

  /**
   * Creates the first admin from configuration, once: a marker stream appended with expected revision no_stream in the
   * same transaction makes a second bootstrap (another instance, a restart) a no-op. No password ships with the product.
   */
  async bootstrapAdmin(email: string, password: string, now: Date): Promise<'created' | 'exists'> {
    if ((await this.aggregates.load(adminBootstrapDecider, ADMIN_BOOTSTRAP_STREAM)).state.bootstrapped) return 'exists';
    const context = systemContext(now, this.ids.next());
    try {
      await this.register({ email, password, displayName: 'Administrator', roles: ['admin'] }, context, (userId) => ({
        followOns: [
          followOn(
            adminBootstrapDecider,
            ADMIN_BOOTSTRAP_STREAM,
            { type: 'BootstrapAdmin', userId, at: now.toISOString() },
            { startsStream: true },
          ),
        ],
      }));
      return 'created';
    } catch (error) {
      if (
        error instanceof DomainError &&
        ['IDENTITY.EMAIL_TAKEN', 'IDENTITY.ADMIN_BOOTSTRAPPED', 'CONCURRENCY.CONFLICT'].includes(error.code)
      )
        return 'exists';
      throw error;
    }
  }

  /** The user and their session state as the log has them now (one read for both). */
  /** A token for an account of this installation, for operator commands that act as it (demo data); as a login would issue it. */
  async tokenFor(userId: string, now: Date): Promise<IssuedToken> {
    const { user, session } = await this.current(userId, now);
    if (user.status !== 'registered' || user.disabled) throw forbidden('AUTH.USER_DISABLED', 'this account is not active');
    return this.issueToken({ id: userId, roles: user.roles, email: (await this.credentials.ofUser(userId))?.email ?? '' }, session.version);
  }

  private async current(userId: string, now: Date) {
    const events = await this.aggregates.events.readStream(userStream(userId));
    return { user: fold(userDecider, events as unknown as UserEvent[]), session: sessionOf(events, now.getTime()) };
  }

  private async refuseWhileLockedOut(email: string): Promise<void> {
    if (this.limits.loginFailures.limit === 0) return;
    const seconds = await this.counters.blockedFor(LOGIN_FAILURES, email);
    if (seconds > 0)
      throw rateLimited('AUTH.LOGIN_LOCKED_OUT', 'too many wrong passwords for this account; it is locked for a while', seconds);
  }

  /** Counts a wrong password; the one that locks the account is recorded on it and answered 429 already. */
  private async failedPassword(email: string, userId: string | undefined, context: CommandContext): Promise<void> {
    const { limit, windowMs, blockMs } = this.limits.loginFailures;
    if (limit === 0) return;
    const record = await this.counters.increment(email, windowMs, limit - 1, blockMs, LOGIN_FAILURES);
    if (!record.isBlocked) return;
    if (record.newlyBlocked && userId) {
      const until = new Date(context.now.getTime() + blockMs).toISOString();
      await this.aggregates.handle(
        userDecider,
        userStream(userId),
        { type: 'RecordLockout', userId, failures: record.totalHits, until, now: context.now.toISOString() },
        { ...context, actor: { id: 'system', roles: [] } },
        () => undefined,
        { waitForProjections: false },
      );
    }
    throw rateLimited(
      'AUTH.LOGIN_LOCKED_OUT',
      'too many wrong passwords for this account; it is locked for a while',
      record.timeToBlockExpire,
    );
  }

  private async count(name: string, key: string, rate: Rate, code: string, message: string): Promise<void> {
    if (rate.limit === 0) return;
    const record = await this.counters.increment(key, rate.windowMs, rate.limit, rate.blockMs, name);
    if (record.isBlocked) throw rateLimited(code, message, record.timeToBlockExpire);
  }
}
