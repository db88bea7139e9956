export { IndexDay, MarketData, SandboxMarketData, officialClose } from './market-data';
export { MarketDataModule } from './market-data.module';
