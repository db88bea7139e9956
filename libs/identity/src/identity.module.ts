import { Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule, ThrottlerStorage } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '@app/common';
import { LogDatabase } from '@app/event-store';
import { APP_CONFIG, AppConfig, JsonLogger, PiiVaultModule } from '@app/platform';
import { AuthController } from './api/auth.controller';
import { JwtAuthGuard, RolesGuard } from './auth/guards';
import { keyIdOf } from './auth/jwt-keys';
import { JwtStrategy } from './auth/strategies';
import { IdentityService, LIMITS } from './identity.service';
import { Credentials } from './infrastructure/credentials';
import { PasswordHasher } from './infrastructure/password-hasher';
import { RegistrationRecords } from './infrastructure/registration-records';
import { SessionRegistry } from './infrastructure/session-registry';
import { UserView } from './projections/user-view.entity';
import { SessionsProjection, SessionsView } from './projections/sessions.projection';
import { UsersProjection } from './projections/users.projection';
import { IdentityUpcasters } from './infrastructure/upcasters';
import { loadLimits } from './throttling/limits';
import { PgThrottlerStorage } from './throttling/pg-throttler-storage';
import { ADDRESS_THROTTLER, MONEY_THROTTLER } from './throttling/throttle.guards';

@Module({
  imports: [
    PassportModule,
    PiiVaultModule,
    TypeOrmModule.forFeature([UserView]),
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ secret: config.jwtSecret, signOptions: { keyid: keyIdOf(config.jwtSecret) } }),
    }),
    // Global: the money routes of other modules use UserThrottleGuard with these throttlers and this storage.
    ThrottlerModule.forRootAsync({
      inject: [LogDatabase, Clock, APP_CONFIG],
      useFactory: (store: LogDatabase, clock: Clock, config: AppConfig) => {
        const limits = loadLimits(config);
        return {
          throttlers: [
            {
              name: ADDRESS_THROTTLER,
              limit: limits.authPerAddress.limit,
              ttl: limits.authPerAddress.windowMs,
              blockDuration: limits.authPerAddress.blockMs,
            },
            {
              name: MONEY_THROTTLER,
              limit: limits.moneyPerUser.limit,
              ttl: limits.moneyPerUser.windowMs,
              blockDuration: limits.moneyPerUser.blockMs,
            },
          ],
          storage: new PgThrottlerStorage(store, clock, [MONEY_THROTTLER]),
          setHeaders: false,
        };
      },
    }),
  ],
  controllers: [AuthController],
  providers: [
    IdentityService,
    Credentials,
    RegistrationRecords,
    PasswordHasher,
    JwtStrategy,
    SessionRegistry,
    { provide: PgThrottlerStorage, useExisting: ThrottlerStorage },
    { provide: LIMITS, inject: [APP_CONFIG], useFactory: loadLimits },
    UsersProjection,
    SessionsProjection,
    SessionsView,
    IdentityUpcasters,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [IdentityService, TypeOrmModule],
})
export class IdentityModule implements OnApplicationBootstrap {
  constructor(
    private readonly identity: IdentityService,
    private readonly clock: Clock,
    private readonly logger: JsonLogger,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { bootstrapAdminEmail: email, bootstrapAdminPassword: password } = this.config;
    if (!email || !password) return;
    const outcome = await this.identity.bootstrapAdmin(email, password, this.clock.now());
    this.logger.event('info', 'identity', { msg: outcome === 'created' ? 'first admin created' : 'first admin already exists', email });
  }
}
