export * from './domain';
export * from './advisory.module';
export { ContactAttribution, ContactInput } from './application/contact-attribution';
export { AdviceRecords } from './application/advice-records';
export { AdvisoryQueries, MessageOpinion } from './application/queries/advisory.queries';
export { PublishAdviceCommand } from './application/commands/publish-advice/publish-advice.command';
