import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { AuditController } from './api/audit.controller';
import { VerificationsController } from './api/verifications.controller';
import { PublicLogController } from './api/public-log.controller';
import { PublicRateLimitGuard } from './api/public-rate-limit.guard';
import { OwnFileController } from './api/own-file.controller';
import { AUDIT_SIGNING, AuditSealerService } from './application/audit-sealer.service';
import { EvidenceService } from './application/evidence.service';
import { VerificationJobsService } from './application/verification-jobs.service';
import { WitnessCosigningService } from './application/witness-cosigning.service';
import { loadAuditSigning } from './infrastructure/signing-key';

/** The tamper-evident audit log (E2): sealer, signed checkpoints, proofs, compliance queries and evidence export. */
@Module({
  controllers: [AuditController, VerificationsController, PublicLogController, OwnFileController],
  providers: [
    { provide: AUDIT_SIGNING, inject: [APP_CONFIG], useFactory: (config: AppConfig) => loadAuditSigning(config.env, config.dataDir) },
    AuditSealerService,
    EvidenceService,
    VerificationJobsService,
    WitnessCosigningService,
    PublicRateLimitGuard,
  ],
  exports: [AuditSealerService, EvidenceService, VerificationJobsService, WitnessCosigningService, AUDIT_SIGNING],
})
export class AuditModule {}
