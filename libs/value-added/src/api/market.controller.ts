import { Controller, Get, Inject, Param, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import { Clock, invalid } from '@app/common';
import { ApiErrors } from '@app/platform';
import { EntitlementGuard, RequiresEntitlement } from '../application/entitlements/entitlement.guard';
import { Level2QueryDto } from './value-added.dto';
import { Level2Response } from './value-added.responses';

/** A demo Level-2 quote: a deterministic synthetic order book, served only to investors entitled to level2.quotes. */
@ApiTags('market')
@Controller('market')
export class MarketController {
  constructor(@Inject(Clock) private readonly clock: Clock) {}

  @Get('level2/:symbol')
  @UseGuards(EntitlementGuard)
  @RequiresEntitlement('level2.quotes')
  @ApiOperation({ summary: 'A Level-2 quote (demo order book) for entitled investors' })
  @ApiParam({ name: 'symbol', example: '600519.SH' })
  @ApiOkResponse({ description: 'ten price levels each side', type: Level2Response })
  @ApiErrors({
    400: ['MARKET.SYMBOL_INVALID: symbols look like 600519.SH or 000001.SZ'],
    403: ['ENTITLEMENT.REQUIRED: no subscription including level2.quotes'],
  })
  level2(@Param('symbol') symbol: string, @Query() query: Level2QueryDto) {
    if (!/^\d{6}\.(SH|SZ)$/.test(symbol)) throw invalid('MARKET.SYMBOL_INVALID', 'symbols look like 600519.SH or 000001.SZ');
    const seed = createHash('sha256').update(symbol).digest();
    const mid = 1000 + seed.readUInt16BE(0); // price in fen
    const depth = query.depth ?? 10;
    const level = (side: number, i: number) => ({
      priceMinor: mid + side * (i + 1),
      volume: 100 * (1 + seed[(i * 2 + (side > 0 ? 1 : 0)) % seed.length]),
    });
    return {
      symbol,
      at: this.clock.now().toISOString(),
      bids: Array.from({ length: depth }, (_, i) => level(-1, i)),
      asks: Array.from({ length: depth }, (_, i) => level(1, i)),
    };
  }
}
