/**
 * The investor's own file (PIPL 45, E4): their timeline and a verifiable evidence bundle of their events, including
 * those of their engagements and payments. The investor is always the caller; no route names another investor.
 */
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CommandContext } from '@app/common';
import { ErrorResponse, Roles } from '@app/identity';
import { Ctx } from '@app/platform';
import { EvidenceService } from '../application/evidence.service';
import { OwnEvidenceQuery, OwnTimelineQuery } from './audit.dto';
import { streamLines } from './stream-lines';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('me')
export class OwnFileController {
  constructor(private readonly evidence: EvidenceService) {}

  @Roles('investor')
  @Get('timeline')
  @ApiOperation({ summary: 'My events (account, assessments, engagements, subscriptions, payments) in log order; the access is recorded (E5)' })
  @ApiForbiddenResponse({ description: 'AUTH.ROLE_REQUIRED; AUDIT.NOT_OWN_FILE (E5)', type: ErrorResponse })
  timeline(@Query() q: OwnTimelineQuery, @Ctx() ctx: CommandContext) {
    return this.evidence.ownTimeline(ctx, q.until);
  }

  @Roles('investor')
  @Get('evidence')
  @ApiProduces('application/x-ndjson')
  @ApiOperation({ summary: 'My events as an evidence bundle (JSON Lines: signed checkpoint, events with inclusion proofs, end line); recorded (E5)' })
  @ApiForbiddenResponse({ description: 'AUTH.ROLE_REQUIRED; AUDIT.NOT_OWN_FILE (E5)', type: ErrorResponse })
  async export(@Query() q: OwnEvidenceQuery, @Ctx() ctx: CommandContext, @Res() res: Response): Promise<void> {
    await streamLines(res, await this.evidence.ownExport(ctx, { from: q.from, to: q.to }), `my-evidence-${ctx.now.toISOString().replace(/[:.]/g, '-')}.jsonl`);
  }
}
