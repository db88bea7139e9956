import { CommandContext } from '@app/common';
import { SuitabilityProfile } from '../../../domain';

export interface OpenAccountInput {
  readonly legalName: string;
  readonly nationalId: string;
  readonly mobile: string;
  readonly profile: SuitabilityProfile;
  readonly sensitiveDataConsent: boolean;
  readonly consentTextHash: string;
}

export class OpenAccountCommand {
  constructor(
    readonly input: OpenAccountInput,
    readonly context: CommandContext,
  ) {}
}
