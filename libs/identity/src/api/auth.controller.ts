import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiOkResponse, ApiTags, ApiUnauthorizedResponse, ApiBadRequestResponse } from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CommandContext, invalid, notFound } from '@app/common';
import { ROLES, Role } from '../domain/user';
import { AuthenticatedUser, Ctx } from '@app/platform';
import { CurrentUser, Public, Roles } from '../auth/auth.decorators';
import { LocalAuthGuard } from '../auth/guards';
import { IdentityService } from '../identity.service';
import { UserView } from '../projections/user-view.entity';
import { ErrorResponse, LoginDto, RegisterDto, RoleDto, TokenResponse } from './auth.dto';

@ApiTags('identity')
@Controller()
export class AuthController {
  constructor(
    private readonly identity: IdentityService,
    @InjectRepository(UserView) private readonly users: Repository<UserView>,
  ) {}

  @Public()
  @Post('auth/register')
  @ApiCreatedResponse({ description: 'registered as an investor; returns a token', type: TokenResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION.FAILED', type: ErrorResponse })
  @ApiConflictResponse({ description: 'IDENTITY.EMAIL_TAKEN', type: ErrorResponse })
  async register(@Body() body: RegisterDto, @Ctx() context: CommandContext) {
    const { userId } = await this.identity.register({ ...body, roles: ['investor'] }, context);
    return { userId, ...this.identity.issueToken({ id: userId, roles: ['investor'], email: body.email.trim().toLowerCase() }) };
  }

  @Public()
  @UseGuards(LocalAuthGuard)
  @Post('auth/login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenResponse })
  @ApiUnauthorizedResponse({ description: 'AUTH.INVALID_CREDENTIALS', type: ErrorResponse })
  login(@Body() _body: LoginDto, @CurrentUser() user: AuthenticatedUser) {
    return this.identity.issueToken(user);
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

  @Delete('admin/users/:userId/roles/:role')
  @Roles('admin')
  @HttpCode(204)
  @ApiBearerAuth()
  async revoke(@Param('userId', ParseUUIDPipe) userId: string, @Param('role') role: string, @Ctx() context: CommandContext) {
    if (!(ROLES as readonly string[]).includes(role)) throw invalid('IDENTITY.UNKNOWN_ROLE', `no such role: ${role}`);
    await this.identity.changeRole(userId, role as Role, false, context);
  }
}
