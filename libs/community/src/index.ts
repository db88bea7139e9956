export * from './domain';
export * from './community.module';
export { HostCampaigns } from './application/growth-hooks';
export { PayoutRedriver } from './application/commands/payouts';
