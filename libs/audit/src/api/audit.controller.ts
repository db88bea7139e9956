/**
 * The compliance officer's audit API: search the log, an investor's timeline and point-in-time file (E4), evidence
 * export, proofs and checkpoints (E2). Reads of personal evidence need a reason and are themselves recorded (E5).
 */
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { CommandContext } from '@app/common';
import { Public, Roles } from '@app/identity';
import { ApiErrors, Ctx } from '@app/platform';
import { EvidenceService } from '../application/evidence.service';
import {
  CheckpointResponse,
  ConsistencyAnswerResponse,
  InclusionAnswerResponse,
  InvestorSnapshotResponse,
  LogPageResponse,
  TimelineEventResponse,
  VerifierKeyResponse,
} from './audit.responses';
import { streamLines } from './stream-lines';
import {
  CheckpointListQuery,
  ConsistencyQuery,
  ExportRequest,
  InclusionQuery,
  LogSearchQuery,
  SnapshotQuery,
  TimelineQuery,
} from './audit.dto';

const filterOf = (q: LogSearchQuery | ExportRequest) => ({
  streamId: q.streamId,
  investorId: q.investorId,
  productId: q.productId,
  type: q.type,
  actor: q.actor,
  from: q.from,
  to: q.to,
});

const REASON = 'AUDIT.ACCESS_REASON_REQUIRED (E5): every read of evidence states its reason first';
const OFFICER = 'AUDIT.COMPLIANCE_ROLE_REQUIRED (E5): only a compliance officer reads audit evidence';

@ApiTags('audit')
@ApiExtraModels(CheckpointResponse)
@Controller('audit')
export class AuditController {
  constructor(private readonly evidence: EvidenceService) {}

  @Public()
  @Get('verifier-key')
  @ApiOperation({ summary: "The log's origin and Ed25519 verifier key (C2SP signed-note form) for checking checkpoints" })
  @ApiOkResponse({ type: VerifierKeyResponse })
  verifierKey() {
    return this.evidence.verifierKey();
  }

  @Roles('compliance_officer')
  @Get('events')
  @ApiOperation({ summary: 'Search the event log (commit order, cursor pagination); the access is recorded (E5)' })
  @ApiOkResponse({ type: LogPageResponse })
  @ApiErrors({ 400: ['AUDIT.BAD_CURSOR: the cursor is not one this API issued'], 403: [OFFICER], 422: [REASON] })
  search(@Query() q: LogSearchQuery, @Ctx() ctx: CommandContext) {
    return this.evidence.search(ctx, filterOf(q), { cursor: q.cursor, limit: q.limit }, q.reason);
  }

  @Roles('compliance_officer')
  @Get('investors/:investorId/timeline')
  @ApiOperation({ summary: "An investor's events, including their engagements', in log order (E4)" })
  @ApiOkResponse({ type: [TimelineEventResponse] })
  @ApiErrors({ 403: [OFFICER], 422: [REASON] })
  timeline(@Param('investorId') investorId: string, @Query() q: TimelineQuery, @Ctx() ctx: CommandContext) {
    return this.evidence.timeline(ctx, investorId, q.until, q.reason);
  }

  @Roles('compliance_officer')
  @Get('investors/:investorId/snapshot')
  @ApiOperation({
    summary: "The investor's suitability file as it stood at an instant: profile, C-level, opinions, documents by hash (E4)",
  })
  @ApiOkResponse({ type: InvestorSnapshotResponse })
  @ApiErrors({ 403: [OFFICER], 404: ['AUDIT.INVESTOR_NOT_FOUND: no events of the investor at or before the instant'], 422: [REASON] })
  snapshot(@Param('investorId') investorId: string, @Query() q: SnapshotQuery, @Ctx() ctx: CommandContext) {
    return this.evidence.snapshot(ctx, investorId, q.at, q.reason);
  }

  @Roles('compliance_officer')
  @Post('exports')
  @HttpCode(200)
  @ApiProduces('application/x-ndjson')
  @ApiOperation({ summary: 'Evidence export as JSON Lines: signed checkpoint, events with inclusion proofs, end line (E2, E4, E5)' })
  @ApiOkResponse({
    description: 'a download (Content-Disposition): one JSON object a line, checkable offline with the standalone verifier',
    content: { 'application/x-ndjson': { schema: { type: 'string' } } },
  })
  @ApiErrors({ 403: [OFFICER], 404: ['AUDIT.LOG_EMPTY: the log has no events to export yet'], 422: [REASON] })
  async export(@Body() body: ExportRequest, @Ctx() ctx: CommandContext, @Res() res: Response): Promise<void> {
    await streamLines(
      res,
      await this.evidence.export(ctx, filterOf(body), body.reason),
      `evidence-${ctx.now.toISOString().replace(/[:.]/g, '-')}.jsonl`,
    );
  }

  @Roles('compliance_officer')
  @Get('proofs/inclusion')
  @ApiOperation({ summary: "An event's inclusion proof under a signed checkpoint (the latest by default)" })
  @ApiOkResponse({ type: InclusionAnswerResponse })
  @ApiErrors({
    403: [OFFICER],
    404: ['AUDIT.EVENT_NOT_SEALED: the event is not sealed into the log yet', 'AUDIT.CHECKPOINT_NOT_FOUND: no such checkpoint'],
    422: ['AUDIT.EVENT_AFTER_CHECKPOINT (E2): the event was sealed after that checkpoint', REASON],
  })
  inclusion(@Query() q: InclusionQuery, @Ctx() ctx: CommandContext) {
    return this.evidence.inclusionProof(ctx, q.eventId, q.treeSize, q.reason);
  }

  @Roles('compliance_officer')
  @Get('proofs/consistency')
  @ApiOperation({ summary: 'Proof that a later checkpoint extends an earlier one without rewriting it (E2)' })
  @ApiOkResponse({ type: ConsistencyAnswerResponse })
  @ApiErrors({
    404: ['AUDIT.CHECKPOINT_NOT_FOUND: no checkpoint of that size'],
    422: ['AUDIT.CHECKPOINTS_OUT_OF_ORDER (E2): `from` is newer than `to`'],
  })
  consistency(@Query() q: ConsistencyQuery) {
    return this.evidence.consistencyProof(q.from, q.to);
  }

  @Roles('compliance_officer')
  @Get('checkpoints')
  @ApiOperation({ summary: 'Signed checkpoints in ascending tree size; format=notes exports the signed notes as text' })
  @ApiOkResponse({
    description: 'the checkpoints (JSON), or with format=notes their signed notes one after another (text)',
    content: {
      'application/json': { schema: { type: 'array', items: { $ref: getSchemaPath(CheckpointResponse) } } },
      'text/plain': { schema: { type: 'string' } },
    },
  })
  async checkpoints(@Query() q: CheckpointListQuery, @Res({ passthrough: true }) res: Response) {
    const list = await this.evidence.listCheckpoints(q.after ?? 0, q.limit ?? 100);
    if (q.format !== 'notes') return list;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    return list.map((c) => c.note).join('\n');
  }

  @Roles('compliance_officer')
  @Get('checkpoints/latest')
  @ApiOperation({ summary: 'The latest signed checkpoint' })
  @ApiOkResponse({ description: 'the latest signed checkpoint', type: CheckpointResponse })
  @ApiErrors({ 404: ['AUDIT.CHECKPOINT_NOT_FOUND: no checkpoint has been signed yet'] })
  latest() {
    return this.evidence.latestCheckpoint();
  }

  @Roles('compliance_officer')
  @Post('checkpoints')
  @HttpCode(201)
  @ApiOperation({ summary: 'Seal everything committed and sign a checkpoint now (returns the latest when nothing is new)' })
  @ApiCreatedResponse({ type: CheckpointResponse })
  @ApiErrors({ 404: ['AUDIT.LOG_EMPTY: the log has no events to checkpoint yet'] })
  checkpointNow() {
    return this.evidence.checkpointNow();
  }
}
