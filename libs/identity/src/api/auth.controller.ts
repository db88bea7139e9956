import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CommandContext, invalid, notFound } from '@app/common';
import { ROLES, Role } from '../domain/user';
import { ApiErrors, AuthenticatedUser, Ctx } from '@app/platform';
import { CurrentUser, Public, Roles, UserAgent } from '../auth/auth.decorators';
import { SessionUser } from '../auth/strategies';
import { IdentityService } from '../identity.service';
import { SessionsView } from '../projections/sessions.projection';
import { UserView } from '../projections/user-view.entity';
import { AddressThrottleGuard } from '../throttling/throttle.guards';
import {
  AccountActionReasonDto,
  ChangePasswordDto,
  LoginDto,
  LogoutDto,
  MeResponse,
  PingResponse,
  RegisterDto,
  RegisteredResponse,
  RoleDto,
  UserSessionList,
  TokenResponse,
  UserPage,
} from './auth.dto';
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
    private readonly sessions: SessionsView,
  ) {}

  @Public()
  @UseGuards(AddressThrottleGuard)
  @Post('auth/register')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'a retry with the same key and body answers the same user (with a new token) instead of IDENTITY.EMAIL_TAKEN',
  })
  @ApiOperation({ summary: 'Register as an investor' })
  @ApiCreatedResponse({ description: 'registered as an investor; returns a token', type: RegisteredResponse })
  @ApiErrors({
    400: ['IDEMPOTENCY.KEY_INVALID: the Idempotency-Key header is malformed'],
    409: [
      'IDENTITY.EMAIL_TAKEN: the e-mail address is registered already',
      'IDEMPOTENCY.IN_PROGRESS: the first request with this key is still running',
    ],
    422: ['IDEMPOTENCY.KEY_REUSED: the same key was sent with another body'],
    429: [
      'RATE.TOO_MANY_AUTH_REQUESTS: per client address',
      'RATE.TOO_MANY_REGISTRATIONS: per e-mail address',
      'AUTH.BUSY: too many password checks at once',
    ],
  })
  async register(
    @Body() body: RegisterDto,
    @Ctx() context: CommandContext,
    @Res({ passthrough: true }) response: HeaderResponse,
    @UserAgent() userAgent: string | null,
  ) {
    const { userId, replayed } = await this.identity.registerInvestor(body, context);
    if (context.idempotencyKey !== undefined) response.setHeader('Idempotent-Replayed', replayed ? 'true' : 'false');
    const user = { id: userId, roles: ['investor'], email: body.email.trim().toLowerCase() };
    return { userId, ...(await this.identity.openSession(user, 0, context, userAgent)) };
  }

  @Public()
  @UseGuards(AddressThrottleGuard)
  @Post('auth/login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in: a bearer token for a new session' })
  @ApiOkResponse({ type: TokenResponse })
  @ApiErrors({
    401: ['AUTH.INVALID_CREDENTIALS: e-mail or password is wrong'],
    403: ['AUTH.USER_DISABLED: the account is disabled (said only after a correct password)'],
    429: [
      'AUTH.LOGIN_LOCKED_OUT: too many failed logins for this account',
      'RATE.TOO_MANY_AUTH_REQUESTS: per client address',
      'AUTH.BUSY: too many password checks at once',
    ],
  })
  login(@Body() body: LoginDto, @Ctx() context: CommandContext, @UserAgent() userAgent: string | null) {
    return this.identity.login(body.email, body.password, context, userAgent);
  }

  @Post('auth/logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'Log out (this session or every session)' })
  @ApiNoContentResponse({
    description: 'the session (or, with everywhere, every session of the user) has ended; its tokens are refused from now on',
  })
  async logout(@Body() body: LogoutDto, @CurrentUser() user: SessionUser, @Ctx() context: CommandContext) {
    await this.identity.logout(user, body.everywhere === true, context);
  }

  @Post('auth/password')
  @HttpCode(200)
  @ApiOperation({ summary: 'Change my password (ends every session)' })
  @ApiOkResponse({
    description: 'changed; every earlier token is refused from now on, and this is a token for a new session',
    type: TokenResponse,
  })
  @ApiErrors({
    401: ['AUTH.INVALID_CREDENTIALS: the current password is wrong'],
    403: ['AUTH.USER_DISABLED: the account is not active'],
    429: ['AUTH.LOGIN_LOCKED_OUT: too many failed attempts', 'AUTH.BUSY: too many password checks at once'],
  })
  changePassword(
    @Body() body: ChangePasswordDto,
    @CurrentUser() user: SessionUser,
    @Ctx() context: CommandContext,
    @UserAgent() userAgent: string | null,
  ) {
    return this.identity.changePassword(user, body.currentPassword, body.newPassword, context, userAgent);
  }

  @Get('me')
  @ApiOperation({ summary: 'Who I am: my user and roles' })
  @ApiOkResponse({ type: MeResponse })
  @ApiErrors({ 404: ['IDENTITY.UNKNOWN_USER: the user is not (yet) in the read model'] })
  async me(@CurrentUser() user: AuthenticatedUser) {
    const view = await this.users.findOneBy({ userId: user.id });
    if (!view) throw notFound('IDENTITY.UNKNOWN_USER', 'no such user');
    return { userId: view.userId, email: view.email, displayName: view.displayName, roles: view.roles, dateOfBirth: view.dateOfBirth };
  }

  /** The cheapest authenticated route: benchmarks compare other routes against it. */
  @Get('auth/ping')
  @ApiOperation({ summary: 'Check a token (the cheapest authenticated route)' })
  @ApiOkResponse({ type: PingResponse })
  ping(@CurrentUser() user: AuthenticatedUser) {
    return { userId: user.id };
  }

  @Get('admin/users')
  @Roles('admin')
  @ApiOperation({ summary: 'Users, oldest first (admin)' })
  @ApiQuery({ name: 'limit', required: false, schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } })
  @ApiQuery({ name: 'offset', required: false, schema: { type: 'integer', minimum: 0, default: 0 } })
  @ApiOkResponse({ type: UserPage })
  async list(@Query('limit') limit = '50', @Query('offset') offset = '0') {
    const take = Math.min(Math.max(Number.parseInt(limit, 10) || 50, 1), 200);
    const skip = Math.min(Math.max(Number.parseInt(offset, 10) || 0, 0), Number.MAX_SAFE_INTEGER);
    const [items, total] = await this.users.findAndCount({ order: { registeredAt: 'ASC' }, take, skip });
    return { items, total, limit: take, offset: skip };
  }

  @Post('admin/users/:userId/roles')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Grant a role (admin)' })
  @ApiNoContentResponse({ description: 'granted (identity.RoleGranted)' })
  @ApiErrors({
    400: ['IDENTITY.UNKNOWN_USER: no such user'],
    403: ['IDENTITY.ADMIN_ONLY: only an admin manages roles', 'IDENTITY.SELF_ROLE_CHANGE: nobody changes their own roles'],
  })
  async grant(@Param('userId', ParseUUIDPipe) userId: string, @Body() body: RoleDto, @Ctx() context: CommandContext) {
    await this.identity.changeRole(userId, body.role, true, context);
  }

  @Post('admin/users/:userId/disable')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Disable a user with a reason (admin)' })
  @ApiNoContentResponse({
    description: 'disabled (identity.UserDisabled with the admin and the reason); every session of the user ends at once',
  })
  @ApiErrors({
    400: ['IDENTITY.UNKNOWN_USER: no such user'],
    403: [
      'IDENTITY.ADMIN_ONLY: only an enabled admin disables or enables users',
      'IDENTITY.SELF_DISABLE: an admin cannot disable themselves',
    ],
  })
  async disable(@Param('userId', ParseUUIDPipe) userId: string, @Body() body: AccountActionReasonDto, @Ctx() context: CommandContext) {
    await this.identity.setDisabled(userId, true, body.reason, context);
  }

  @Post('admin/users/:userId/enable')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Enable a disabled user with a reason (admin)' })
  @ApiNoContentResponse({ description: 'enabled again (identity.UserEnabled); tokens from before the disable stay ended' })
  @ApiErrors({
    400: ['IDENTITY.UNKNOWN_USER: no such user'],
    403: [
      'IDENTITY.ADMIN_ONLY: only an enabled admin disables or enables users',
      'IDENTITY.SELF_DISABLE: an admin cannot enable themselves',
    ],
  })
  async enable(@Param('userId', ParseUUIDPipe) userId: string, @Body() body: AccountActionReasonDto, @Ctx() context: CommandContext) {
    await this.identity.setDisabled(userId, false, body.reason, context);
  }

  @Post('admin/users/:userId/sessions/end')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'End every session of a user (admin)' })
  @ApiNoContentResponse({
    description: 'every session of the user ends at once (identity.SessionsEnded by the admin); they can log in again',
  })
  @ApiErrors({ 400: ['IDENTITY.UNKNOWN_USER: no such user'] })
  async endSessions(@Param('userId', ParseUUIDPipe) userId: string, @Ctx() context: CommandContext) {
    await this.identity.endSessions(userId, context);
  }

  @Get('admin/users/:userId/sessions')
  @Roles('admin')
  @ApiOperation({ summary: "A user's active sessions (admin)" })
  @ApiOkResponse({ type: UserSessionList })
  async listSessions(@Param('userId', ParseUUIDPipe) userId: string, @Ctx() context: CommandContext) {
    return { items: await this.sessions.active(userId, context.now) };
  }

  @Post('admin/users/:userId/sessions/:sessionId/end')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'End one session of a user (admin)' })
  @ApiNoContentResponse({ description: "the session ends at once (identity.SessionEnded); the user's other sessions go on" })
  @ApiErrors({
    400: ['IDENTITY.UNKNOWN_USER: no such user'],
    404: ['IDENTITY.SESSION_NOT_FOUND: the user has no active session with this id'],
  })
  async endSession(
    @Param('userId', ParseUUIDPipe) userId: string,
    @Param('sessionId', ParseUUIDPipe) sessionId: string,
    @Ctx() context: CommandContext,
  ) {
    await this.identity.endSession(userId, sessionId, context);
  }

  @Delete('admin/users/:userId/roles/:role')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a role (admin)' })
  @ApiParam({ name: 'role', enum: ROLES })
  @ApiNoContentResponse({ description: 'revoked (identity.RoleRevoked)' })
  @ApiErrors({
    400: ['IDENTITY.UNKNOWN_ROLE: not a role', 'IDENTITY.UNKNOWN_USER: no such user'],
    403: ['IDENTITY.ADMIN_ONLY: only an admin manages roles', 'IDENTITY.SELF_ROLE_CHANGE: nobody changes their own roles'],
  })
  async revoke(@Param('userId', ParseUUIDPipe) userId: string, @Param('role') role: string, @Ctx() context: CommandContext) {
    if (!(ROLES as readonly string[]).includes(role)) throw invalid('IDENTITY.UNKNOWN_ROLE', `no such role: ${role}`);
    await this.identity.changeRole(userId, role as Role, false, context);
  }
}
