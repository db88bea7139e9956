/**
 * The investor's own file (PIPL 45, E4): their timeline and a verifiable evidence bundle of their events, including
 * those of their engagements and payments. The investor is always the caller; no route names another investor.
 */
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CommandContext } from '@app/common';
import { Roles } from '@app/identity';
import { ApiErrors, Ctx } from '@app/platform';
import { EvidenceService } from '../application/evidence.service';
import { OwnEvidenceQuery, OwnTimelineQuery } from './audit.dto';
import { TimelineEventResponse } from './audit.responses';
import { streamLines } from './stream-lines';

@ApiTags('audit')
@Controller('me')
export class OwnFileController {
  constructor(private readonly evidence: EvidenceService) {}

  @Roles('investor')
  @Get('timeline')
  @ApiOperation({
    summary: 'My events (account, assessments, engagements, subscriptions, payments) in log order; the access is recorded (E5)',
  })
  @ApiOkResponse({ type: [TimelineEventResponse] })
  @ApiErrors({ 403: ['AUDIT.NOT_OWN_FILE (E5): an investor reads only their own file'] })
  timeline(@Query() q: OwnTimelineQuery, @Ctx() ctx: CommandContext) {
    return this.evidence.ownTimeline(ctx, q.until);
  }

  @Roles('investor')
  @Get('evidence')
  @ApiProduces('application/x-ndjson')
  @ApiOperation({
    summary: 'My events as an evidence bundle (JSON Lines: signed checkpoint, events with inclusion proofs, end line); recorded (E5)',
  })
  @ApiOkResponse({ description: 'a download: one JSON object a line', content: { 'application/x-ndjson': { schema: { type: 'string' } } } })
  @ApiErrors({
    403: ['AUDIT.NOT_OWN_FILE (E5): an investor reads only their own file'],
    404: ['AUDIT.LOG_EMPTY: the log has no events to export yet'],
  })
  async export(@Query() q: OwnEvidenceQuery, @Ctx() ctx: CommandContext, @Res() res: Response): Promise<void> {
    await streamLines(
      res,
      await this.evidence.ownExport(ctx, { from: q.from, to: q.to }),
      `my-evidence-${ctx.now.toISOString().replace(/[:.]/g, '-')}.jsonl`,
    );
  }
}
