import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { AuditController } from './api/audit.controller';
import { OwnFileController } from './api/own-file.controller';
import { AUDIT_SIGNING, AuditSealerService } from './application/audit-sealer.service';
import { EvidenceService } from './application/evidence.service';
import { loadAuditSigning } from './infrastructure/signing-key';

/** The tamper-evident audit log (E2): sealer, signed checkpoints, proofs, compliance queries and evidence export. */
@Module({
  controllers: [AuditController, OwnFileController],
  providers: [
    { provide: AUDIT_SIGNING, inject: [APP_CONFIG], useFactory: (config: AppConfig) => loadAuditSigning(config.env, config.dataDir) },
    AuditSealerService,
    EvidenceService,
  ],
  exports: [AuditSealerService, EvidenceService, AUDIT_SIGNING],
})
export class AuditModule {}
