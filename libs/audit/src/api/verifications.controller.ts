/**
 * Log verification without a shell (E2, E5): a compliance officer starts a verification job, follows its progress and
 * reads its result; recent jobs are listed. Starting one is recorded as an access event with its reason.
 */
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { CommandContext } from '@app/common';
import { ErrorResponse, Roles } from '@app/identity';
import { Ctx } from '@app/platform';
import { VerificationJobsService } from '../application/verification-jobs.service';
import { VerificationListQuery, VerificationRequest } from './audit.dto';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit/verifications')
export class VerificationsController {
  constructor(private readonly jobs: VerificationJobsService) {}

  @Roles('compliance_officer')
  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Start verifying the whole log in the background (one at a time); the request is recorded with its reason (E5)' })
  @ApiUnprocessableEntityResponse({ description: 'AUDIT.ACCESS_REASON_REQUIRED (E5)', type: ErrorResponse })
  @ApiConflictResponse({ description: 'AUDIT.VERIFICATION_RUNNING: details.runningVerificationId names the running job', type: ErrorResponse })
  start(@Body() body: VerificationRequest, @Ctx() ctx: CommandContext) {
    return this.jobs.start(ctx, body.reason);
  }

  @Roles('compliance_officer')
  @Get()
  @ApiOperation({ summary: 'Recent log verifications, newest first' })
  list(@Query() q: VerificationListQuery) {
    return this.jobs.list(q.limit ?? 20);
  }

  @Roles('compliance_officer')
  @Get(':id')
  @ApiOperation({ summary: "A verification's progress (events checked of the sealed total) and result: OK, or the first bad leaf and the kind of damage" })
  @ApiNotFoundResponse({ description: 'AUDIT.VERIFICATION_NOT_FOUND', type: ErrorResponse })
  get(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.jobs.get(id);
  }
}
