import { Module } from '@nestjs/common';
import { MarketData, SandboxMarketData } from './market-data';

/**
 * The one binding of the market-data port: every context that imports this module gets the same feed (Nest keeps one
 * instance of a module), so what a trigger sees and what a game is settled from never differ. A real provider
 * replaces the sandbox here, and only here.
 */
@Module({
  providers: [SandboxMarketData, { provide: MarketData, useExisting: SandboxMarketData }],
  exports: [MarketData, SandboxMarketData],
})
export class MarketDataModule {}
