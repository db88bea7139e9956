/**
 * Log verification without a shell (E2, E5): a compliance officer starts a verification job, follows its progress and
 * reads its result; recent jobs are listed. Starting one is recorded as an access event with its reason.
 */
import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CommandContext } from '@app/common';
import { Roles } from '@app/identity';
import { ApiErrors, Ctx } from '@app/platform';
import { VerificationJobsService } from '../application/verification-jobs.service';
import { VerificationListQuery, VerificationRequest } from './audit.dto';
import { VerificationResponse } from './audit.responses';

@ApiTags('audit')
@Controller('audit/verifications')
export class VerificationsController {
  constructor(private readonly jobs: VerificationJobsService) {}

  @Roles('compliance_officer')
  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary: 'Start verifying the whole log in the background (one at a time); the request is recorded with its reason (E5)',
  })
  @ApiAcceptedResponse({ description: 'started: follow it with GET /audit/verifications/{id}', type: VerificationResponse })
  @ApiErrors({
    403: ['AUDIT.COMPLIANCE_ROLE_REQUIRED (E5): only a compliance officer reads audit evidence'],
    409: ['AUDIT.VERIFICATION_RUNNING: one runs already; `details.runningVerificationId` names it'],
    422: ['AUDIT.ACCESS_REASON_REQUIRED (E5): the request states its reason'],
  })
  start(@Body() body: VerificationRequest, @Ctx() ctx: CommandContext) {
    return this.jobs.start(ctx, body.reason);
  }

  @Roles('compliance_officer')
  @Get()
  @ApiOperation({ summary: 'Recent log verifications, newest first' })
  @ApiOkResponse({ type: [VerificationResponse] })
  list(@Query() q: VerificationListQuery) {
    return this.jobs.list(q.limit ?? 20);
  }

  @Roles('compliance_officer')
  @Get(':id')
  @ApiOperation({
    summary: "A verification's progress (events checked of the sealed total) and result: OK, or the first bad leaf and the kind of damage",
  })
  @ApiOkResponse({ type: VerificationResponse })
  @ApiErrors({ 404: ['AUDIT.VERIFICATION_NOT_FOUND: no such verification'] })
  get(@Param('id', new ParseUUIDPipe()) id: string) {
    return this.jobs.get(id);
  }
}
