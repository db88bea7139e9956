import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import { Clock, invalid } from '@app/common';
import { ErrorResponse } from '@app/identity';
import { EntitlementGuard, RequiresEntitlement } from '../application/entitlements/entitlement.guard';
import { Level2QueryDto } from './value-added.dto';

/** A demo Level-2 quote: a deterministic synthetic order book, served only to investors entitled to level2.quotes. */
@ApiTags('market')
@ApiBearerAuth()
@Controller('market')
export class MarketController {
  constructor(@Inject(Clock) private readonly clock: Clock) {}

  @Get('level2/:symbol')
  @UseGuards(EntitlementGuard)
  @RequiresEntitlement('level2.quotes')
  @ApiOkResponse({ description: 'ten price levels each side' })
  @ApiForbiddenResponse({ description: 'ENTITLEMENT.REQUIRED: no subscription including level2.quotes', type: ErrorResponse })
  level2(@Param('symbol') symbol: string, @Query() query: Level2QueryDto) {
    if (!/^\d{6}\.(SH|SZ)$/.test(symbol)) throw invalid('MARKET.SYMBOL_INVALID', 'symbols look like 600519.SH or 000001.SZ');
    const seed = createHash('sha256').update(symbol).digest();
    const mid = 1000 + seed.readUInt16BE(0); // price in fen
    const depth = query.depth ?? 10;
    const level = (side: number, i: number) => ({ priceMinor: mid + side * (i + 1), volume: 100 * (1 + seed[(i * 2 + (side > 0 ? 1 : 0)) % seed.length]) });
    return {
      symbol,
      at: this.clock.now().toISOString(),
      bids: Array.from({ length: depth }, (_, i) => level(-1, i)),
      asks: Array.from({ length: depth }, (_, i) => level(1, i)),
    };
  }
}
