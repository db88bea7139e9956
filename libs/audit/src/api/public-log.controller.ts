/**
 * The log as outsiders see it, without login (E6): the latest checkpoint as a C2SP signed note with the witnesses'
 * cosignatures appended, consistency proofs between checkpoints, and the keys to check both. Read-only and
 * rate-limited per client address.
 */
import { Controller, Get, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { ErrorResponse, Public } from '@app/identity';
import { EvidenceService } from '../application/evidence.service';
import { ConsistencyQuery } from './audit.dto';
import { PublicRateLimitGuard } from './public-rate-limit.guard';

@ApiTags('log (public)')
@Public()
@UseGuards(PublicRateLimitGuard)
@ApiTooManyRequestsResponse({ description: 'LOG.RATE_LIMITED, with Retry-After', type: ErrorResponse })
@Controller('log')
export class PublicLogController {
  constructor(private readonly evidence: EvidenceService) {}

  @Get('checkpoint')
  @ApiProduces('text/plain')
  @ApiOperation({ summary: 'The latest checkpoint (C2SP tlog-checkpoint signed note), with witness cosignatures as extra signature lines' })
  @ApiNotFoundResponse({ description: 'AUDIT.CHECKPOINT_NOT_FOUND', type: ErrorResponse })
  async checkpoint(@Res({ passthrough: true }) res: Response): Promise<string> {
    const note = await this.evidence.publicCheckpoint();
    // Set only on success: a refusal keeps its JSON body and type.
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    return note;
  }

  @Get('consistency')
  @ApiOperation({ summary: 'Proof that the checkpoint of size `to` (latest by default) extends the one of size `from` (RFC 6962)' })
  @ApiNotFoundResponse({ description: 'AUDIT.CHECKPOINT_NOT_FOUND', type: ErrorResponse })
  consistency(@Query() q: ConsistencyQuery) {
    return this.evidence.consistencyProof(q.from, q.to);
  }

  @Get('key')
  @ApiOkResponse({ description: "{ origin, verifierKey, witnesses: [cosigner keys] }: the log's Ed25519 verifier key and the witnesses it asks to cosign" })
  @ApiOperation({ summary: "The log's verifier key (C2SP signed-note vkey) and the configured witnesses' cosigner keys" })
  key() {
    return this.evidence.publicKeys();
  }
}
