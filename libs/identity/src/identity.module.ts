import { Inject, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Clock } from '@app/common';
import { APP_CONFIG, AppConfig, JsonLogger, PiiVaultModule } from '@app/platform';
import { AuthController } from './api/auth.controller';
import { JwtAuthGuard, RolesGuard } from './auth/guards';
import { JwtStrategy, LocalStrategy } from './auth/strategies';
import { IdentityService } from './identity.service';
import { PasswordHasher } from './infrastructure/password-hasher';
import { UserView } from './projections/user-view.entity';
import { UsersProjection } from './projections/users.projection';
import { IdentityUpcasters } from './infrastructure/upcasters';

@Module({
  imports: [
    PassportModule,
    PiiVaultModule,
    TypeOrmModule.forFeature([UserView]),
    JwtModule.registerAsync({ inject: [APP_CONFIG], useFactory: (config: AppConfig) => ({ secret: config.jwtSecret }) }),
  ],
  controllers: [AuthController],
  providers: [
    IdentityService,
    PasswordHasher,
    LocalStrategy,
    JwtStrategy,
    UsersProjection,
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
