import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CommandContext, invalid, notFound } from '@app/common';
import { ROLES, Role } from '../domain/user';
import { AuthenticatedUser, Ctx } from '@app/platform';
import { CurrentUser, Public, Roles } from '../auth/auth.decorators';
import { SessionUser } from '../auth/strategies';
import { IdentityService } from '../identity.service';
import { UserView } from '../projections/user-view.entity';
import { AddressThrottleGuard } from '../throttling/throttle.guards';
import { AccountActionReasonDto, ChangePasswordDto, ErrorResponse, LoginDto, LogoutDto, RegisterDto, RoleDto, TokenResponse } from './auth.dto';
import { RetryAfterInterceptor } from './retry-after.interceptor';

interface HeaderResponse {
  setHeader(name: string, value: string): unknown;
}

@ApiTags('identity')
@Controller()
@UseInterceptors(RetryAfterInterceptor)
export class AuthController {
  constructor(
    private readonly identity: IdentityService,
    @InjectRepository(UserView) private readonly users: Repository<UserView>,
  ) {}

  @Public()
  @UseGuards(AddressThrottleGuard)
  @Post('auth/register')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retry with the same key and body answers the same user (with a new token) instead of IDENTITY.EMAIL_TAKEN' })
  @ApiCreatedResponse({ description: 'registered as an investor; returns a token', type: TokenResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED, IDEMPOTENCY.KEY_INVALID', type: ErrorResponse })
  @ApiConflictResponse({ description: 'IDENTITY.EMAIL_TAKEN, IDEMPOTENCY.IN_PROGRESS', type: ErrorResponse })
  @ApiUnprocessableEntityResponse({ description: 'IDEMPOTENCY.KEY_REUSED', type: ErrorResponse })
  @ApiTooManyRequestsResponse({ description: 'RATE.TOO_MANY_AUTH_REQUESTS (per address), RATE.TOO_MANY_REGISTRATIONS (per email), AUTH.BUSY; Retry-After says when', type: ErrorResponse })
  async register(@Body() body: RegisterDto, @Ctx() context: CommandContext, @Res({ passthrough: true }) response: HeaderResponse) {
    const { userId, replayed } = await this.identity.registerInvestor(body, context);
    if (context.idempotencyKey !== undefined) response.setHeader('Idempotent-Replayed', replayed ? 'true' : 'false');
    return { userId, ...this.identity.issueToken({ id: userId, roles: ['investor'], email: body.email.trim().toLowerCase() }) };
  }

  @Public()
  @UseGuards(AddressThrottleGuard)
  @Post('auth/login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({ description: 'AUTH.INVALID_CREDENTIALS', type: ErrorResponse })
  @ApiForbiddenResponse({ description: 'AUTH.USER_DISABLED (only after a correct password)', type: ErrorResponse })
  @ApiTooManyRequestsResponse({ description: 'AUTH.LOGIN_LOCKED_OUT (per account), RATE.TOO_MANY_AUTH_REQUESTS (per address), AUTH.BUSY; Retry-After says when', type: ErrorResponse })
  login(@Body() body: LoginDto, @Ctx() context: CommandContext) {
    return this.identity.login(body.email, body.password, context);
  }

  @Post('auth/logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'the session (or, with everywhere, every session of the user) has ended; its tokens are refused from now on' })
  @ApiUnauthorizedResponse({ description: 'AUTH.UNAUTHENTICATED, AUTH.SESSION_ENDED', type: ErrorResponse })
  async logout(@Body() body: LogoutDto, @CurrentUser() user: SessionUser, @Ctx() context: CommandContext) {
    await this.identity.logout(user, body.everywhere === true, context);
  }

  @Post('auth/password')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOkResponse({ description: 'changed; every earlier token is refused from now on, and this is a token for a new session', type: TokenResponse })
  @ApiUnauthorizedResponse({ description: 'AUTH.INVALID_CREDENTIALS (the current password), AUTH.SESSION_ENDED', type: ErrorResponse })
  @ApiTooManyRequestsResponse({ description: 'AUTH.LOGIN_LOCKED_OUT, AUTH.BUSY', type: ErrorResponse })
  changePassword(@Body() body: ChangePasswordDto, @CurrentUser() user: SessionUser, @Ctx() context: CommandContext) {
    return this.identity.changePassword(user, body.currentPassword, body.newPassword, context);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiUnauthorizedResponse({ description: 'AUTH.UNAUTHENTICATED', type: ErrorResponse })
  async me(@CurrentUser() user: AuthenticatedUser) {
    const view = await this.users.findOneBy({ userId: user.id });
    if (!view) throw notFound('IDENTITY.UNKNOWN_USER', 'no such user');
    return { userId: view.userId, email: view.email, displayName: view.displayName, roles: view.roles, dateOfBirth: view.dateOfBirth };
  }

  /** The cheapest authenticated route: benchmarks compare other routes against it. */
  @Get('auth/ping')
  @ApiBearerAuth()
  @ApiUnauthorizedResponse({ description: 'AUTH.UNAUTHENTICATED', type: ErrorResponse })
  ping(@CurrentUser() user: AuthenticatedUser) {
    return { userId: user.id };
  }

  @Get('admin/users')
  @Roles('admin')
  @ApiBearerAuth()
  @ApiForbiddenResponse({ description: 'AUTH.ROLE_REQUIRED', type: ErrorResponse })
  async list(@Query('limit') limit = '50', @Query('offset') offset = '0') {
    const take = Math.min(Math.max(Number.parseInt(limit, 10) || 50, 1), 200);
    const skip = Math.min(Math.max(Number.parseInt(offset, 10) || 0, 0), Number.MAX_SAFE_INTEGER);
    const [items, total] = await this.users.findAndCount({ order: { registeredAt: 'ASC' }, take, skip });
    return { items, total, limit: take, offset: skip };
  }

  @Post('admin/users/:userId/roles')
  @Roles('admin')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiForbiddenResponse({ description: 'AUTH.ROLE_REQUIRED, IDENTITY.SELF_ROLE_CHANGE', type: ErrorResponse })
  async grant(@Param('userId', ParseUUIDPipe) userId: string, @Body() body: RoleDto, @Ctx() context: CommandContext) {
    await this.identity.changeRole(userId, body.role, true, context);
  }

  @Post('admin/users/:userId/disable')
  @Roles('admin')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'disabled (identity.UserDisabled with the admin and the reason); every session of the user ends at once' })
  @ApiForbiddenResponse({ description: 'AUTH.ROLE_REQUIRED, IDENTITY.ADMIN_ONLY, IDENTITY.SELF_DISABLE', type: ErrorResponse })
  async disable(@Param('userId', ParseUUIDPipe) userId: string, @Body() body: AccountActionReasonDto, @Ctx() context: CommandContext) {
    await this.identity.setDisabled(userId, true, body.reason, context);
  }

  @Post('admin/users/:userId/enable')
  @Roles('admin')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'enabled again (identity.UserEnabled); tokens from before the disable stay ended' })
  @ApiForbiddenResponse({ description: 'AUTH.ROLE_REQUIRED, IDENTITY.ADMIN_ONLY, IDENTITY.SELF_DISABLE', type: ErrorResponse })
  async enable(@Param('userId', ParseUUIDPipe) userId: string, @Body() body: AccountActionReasonDto, @Ctx() context: CommandContext) {
    await this.identity.setDisabled(userId, false, body.reason, context);
  }

  @Post('admin/users/:userId/sessions/end')
  @Roles('admin')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'every session of the user ends at once (identity.SessionsEnded by the admin); they can log in again' })
  @ApiForbiddenResponse({ description: 'AUTH.ROLE_REQUIRED', type: ErrorResponse })
  async endSessions(@Param('userId', ParseUUIDPipe) userId: string, @Ctx() context: CommandContext) {
    await this.identity.endSessions(userId, context);
  }

  @Delete('admin/users/:userId/roles/:role')
  @Roles('admin')
  @HttpCode(204)
  @ApiBearerAuth()
  async revoke(@Param('userId', ParseUUIDPipe) userId: string, @Param('role') role: string, @Ctx() context: CommandContext) {
    if (!(ROLES as readonly string[]).includes(role)) throw invalid('IDENTITY.UNKNOWN_ROLE', `no such role: ${role}`);
    await this.identity.changeRole(userId, role as Role, false, context);
  }
}
