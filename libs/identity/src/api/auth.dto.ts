import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsIn, IsISO8601, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { ROLES, Role } from '../domain/user';

export class RegisterDto {
  @ApiProperty({ example: 'li.wei@example.com' }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ minLength: 12, maxLength: 200 }) @IsString() @Length(12, 200) password: string;
  @ApiProperty({ example: 'Li Wei' }) @IsString() @Length(1, 100) displayName: string;
  @ApiPropertyOptional({ example: '1990-05-01', description: 'used to refuse tips from minors (V4)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  dateOfBirth?: string;
}

export class LoginDto {
  @ApiProperty() @IsEmail() email: string;
  @ApiProperty() @IsString() @Length(1, 200) password: string;
}

export class LogoutDto {
  @ApiPropertyOptional({ description: 'true: end every session of this user, on every device; default: only this one' })
  @IsOptional()
  @IsBoolean()
  everywhere?: boolean;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @Length(1, 200) currentPassword: string;
  @ApiProperty({ minLength: 12, maxLength: 200 }) @IsString() @Length(12, 200) newPassword: string;
}

export class AccountActionReasonDto {
  @ApiProperty({ example: 'account reported compromised', description: 'recorded with the event' })
  @IsString()
  @Length(1, 500)
  reason: string;
}

export class RoleDto {
  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role: Role;
}

export class TokenResponse {
  @ApiProperty() accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: 'Bearer';
  @ApiProperty({ example: 3600 }) expiresIn: number;
}

/** The error body's schema lives with the error filter in the platform; exported here too for existing imports. */
export { ErrorResponse } from '@app/platform';

export class RegisteredResponse extends TokenResponse {
  @ApiProperty({ format: 'uuid' }) userId: string;
}

export class MeResponse {
  @ApiProperty({ format: 'uuid' }) userId: string;
  @ApiProperty({ type: String, nullable: true, description: 'null once the personal data is shredded (E3)' }) email: string | null;
  @ApiProperty({ type: String, nullable: true }) displayName: string | null;
  @ApiProperty({ enum: ROLES, isArray: true }) roles: string[];
  @ApiProperty({ type: String, format: 'date', nullable: true }) dateOfBirth: string | null;
}

export class PingResponse {
  @ApiProperty({ format: 'uuid' }) userId: string;
}

export class UserResponse extends MeResponse {
  @ApiProperty({ format: 'date-time' }) registeredAt: string;
  @ApiProperty({ description: 'disabled by an admin (identity.UserDisabled) and not enabled since' }) disabled: boolean;
}

export class UserPage {
  @ApiProperty({ type: [UserResponse] }) items: UserResponse[];
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
}

export class UserSessionResponse {
  @ApiProperty({ format: 'uuid', description: "the token's session id (its `sid` claim)" }) sessionId: string;
  @ApiProperty({ format: 'date-time', description: 'when the token was issued (a login, a password change, a registration)' })
  issuedAt: string;
  @ApiProperty({ format: 'date-time', description: 'when the token expires on its own' }) expiresAt: string;
  @ApiProperty({ type: String, nullable: true, description: 'the User-Agent header of the request that opened it (first 200 characters)' })
  userAgent: string | null;
}

export class UserSessionList {
  @ApiProperty({
    type: [UserSessionResponse],
    description:
      'active sessions, newest first (at most 200); last use is not tracked, and sessions opened before the list existed are not in it',
  })
  items: UserSessionResponse[];
}
