export * from './domain';
export * from './reach.module';
export { CampaignRunner, RunOutcome } from './application/campaign-runner';
export { ChannelGateway, SandboxChannelGateway, OutboundMessage, SendReport } from './infrastructure/channels';
export { CreateCampaignCommand, FanOutBatchCommand, StartCampaignCommand } from './application/commands/campaign.handlers';
export { ReachAudience, ReachSegment, GroupMembersSource } from './application/reach-audience';
export { ReachCompliance, TemplateInput } from './application/reach-compliance';
