/**
 * The log as outsiders see it, without login (E6): the latest checkpoint as a C2SP signed note with the witnesses'
 * cosignatures appended, consistency proofs between checkpoints, and the keys to check both. Read-only and
 * rate-limited per client address.
 */
import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/identity';
import { ApiErrors } from '@app/platform';
import { EvidenceService } from '../application/evidence.service';
import { ConsistencyQuery } from './audit.dto';
import { ConsistencyAnswerResponse, PublicKeysResponse } from './audit.responses';
import { PublicRateLimitGuard } from './public-rate-limit.guard';

@ApiTags('log (public)')
@Public()
@UseGuards(PublicRateLimitGuard)
@ApiErrors({ 429: ['LOG.RATE_LIMITED: too many requests from this address'] })
@Controller('log')
export class PublicLogController {
  constructor(private readonly evidence: EvidenceService) {}

  @Get('checkpoint')
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'The latest checkpoint (C2SP tlog-checkpoint signed note), with witness cosignatures as extra signature lines' })
  @ApiOkResponse({ description: 'the signed note', content: { 'text/plain': { schema: { type: 'string' } } } })
  @ApiErrors({ 404: ['AUDIT.CHECKPOINT_NOT_FOUND: no checkpoint has been signed yet'] })
  async checkpoint(@Res({ passthrough: true }) res: Response): Promise<string> {
    const note = await this.evidence.publicCheckpoint();
    // Set only on success: a refusal keeps its JSON body and type.
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    return note;
  }

  @Get('consistency')
  @ApiOperation({ summary: 'Proof that the checkpoint of size `to` (latest by default) extends the one of size `from` (RFC 6962)' })
  @ApiOkResponse({ type: ConsistencyAnswerResponse })
  @ApiErrors({
    404: ['AUDIT.CHECKPOINT_NOT_FOUND: no checkpoint of that size'],
    422: ['AUDIT.CHECKPOINTS_OUT_OF_ORDER (E2): `from` is newer than `to`'],
  })
  consistency(@Query() q: ConsistencyQuery) {
    return this.evidence.consistencyProof(q.from, q.to);
  }

  @Get('key')
  @ApiOkResponse({ description: "the log's Ed25519 verifier key and the witnesses it asks to cosign", type: PublicKeysResponse })
  @ApiOperation({ summary: "The log's verifier key (C2SP signed-note vkey) and the configured witnesses' cosigner keys" })
  key() {
    return this.evidence.publicKeys();
  }
}
