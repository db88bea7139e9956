export * from './domain';
export * from './reach.module';
export { CampaignRunner, RunOutcome } from './application/campaign-runner';
export { ChannelGateway, SandboxChannelGateway, OutboundMessage, SendReport } from './infrastructure/channels';
export { CreateCampaignCommand, FanOutBatchCommand, StartCampaignCommand } from './application/commands/campaign.handlers';
