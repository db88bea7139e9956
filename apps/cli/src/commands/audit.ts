import {
  AUDIT_SIGNING,
  AuditSealerService,
  AuditSigning,
  checkShredding,
  parseVerifierKey,
  proofCheckPassed,
  verifyAuditLog,
  verifyProofFile,
} from '@app/audit';
import { LogDatabase } from '@app/event-store';
import { CliCommand, option } from '../cli-command';

/** `audit:verify`: the whole log against its sealed leaves and signed checkpoints (E2); exit 1 names the first bad position. */
export const auditVerify: CliCommand = {
  name: 'audit:verify',
  usage: 'audit:verify [--batch <rows>] [--json]',
  description: 'recompute every event hash and the Merkle tree; check every signed checkpoint; name the first bad position',
  needsApp: true,
  run: async (args, { app, out }) => {
    const signing = app!.get<AuditSigning>(AUDIT_SIGNING);
    const verifier = parseVerifierKey(signing.verifierKey);
    if (!verifier.ok) throw new Error(verifier.reason);
    const batch = Number(option(args, 'batch') ?? 2000);
    const json = args.includes('--json');
    const started = Date.now();
    const report = await verifyAuditLog(app!.get(LogDatabase), {
      verifier: verifier.value,
      origin: signing.origin,
      batchSize: Number.isInteger(batch) && batch > 0 ? batch : 2000,
      onProgress: json
        ? undefined
        : ({ checked, sealed }) =>
            out(`checked ${checked} events (${sealed} sealed) in ${Math.round((Date.now() - started) / 100) / 10} s`),
    });
    if (json) out(JSON.stringify(report));
    else if (report.ok) {
      out(
        `OK: ${report.treeSize} sealed events verified against ${report.checkpointsVerified} signed checkpoints; root ${report.rootHash}`,
      );
      if (report.unsealedEvents > 0) out(`${report.unsealedEvents} newer events are not sealed yet (their own hashes verify)`);
    } else {
      const p = report.problem!;
      out(`FAILED at leaf ${p.leafIndex}: ${p.kind} - ${p.detail}`);
      if (p.eventId) out(`  event ${p.eventId}${p.position ? ` at log position ${p.position}` : ''}`);
      out(`  ${report.eventsChecked} events before it verified`);
    }
    return report.ok ? 0 : 1;
  },
};

/** `audit:checkpoint`: seal what is committed and sign a checkpoint now; prints the signed note and the verifier key. */
export const auditCheckpoint: CliCommand = {
  name: 'audit:checkpoint',
  usage: 'audit:checkpoint',
  description: 'seal every committed event and sign a checkpoint (C2SP tlog-checkpoint); print it with the verifier key',
  needsApp: true,
  run: async (_args, { app, out }) => {
    const service = app!.get(AuditSealerService);
    const checkpoint = await service.checkpoint();
    if (!checkpoint) {
      out('the log is empty: nothing to checkpoint');
      return 0;
    }
    out(checkpoint.note.trimEnd());
    out('');
    out(`verifier key: ${service.signing.verifierKey}`);
    return 0;
  },
};

/** `audit:verify-proof`: no database; checks an evidence bundle or a proof answer with the given verifier key. */
export const auditVerifyProof: CliCommand = {
  name: 'audit:verify-proof',
  usage: 'audit:verify-proof <file> --key <vkey> [--witness <vkey>]… [--min-witnesses <k>]',
  description:
    'check an evidence export (.jsonl) or an inclusion/consistency answer (.json) offline; optionally require k of n witness cosignatures',
  needsApp: false,
  run: async (args, { out }) => {
    const file = args.find((arg, i) => !arg.startsWith('--') && !['--key', '--witness', '--min-witnesses'].includes(args[i - 1]));
    const key = option(args, 'key') ?? process.env.AUDIT_VERIFIER_KEY;
    const witnesses = args.flatMap((arg, i) =>
      arg === '--witness' && args[i + 1] ? [args[i + 1]] : arg.startsWith('--witness=') ? [arg.slice('--witness='.length)] : [],
    );
    const min = option(args, 'min-witnesses');
    if (!file || !key || (min !== undefined && !/^\d+$/.test(min))) {
      out(
        'usage: audit:verify-proof <file> --key <verifier key> [--witness <cosigner key>]… [--min-witnesses <k>]   (key also from AUDIT_VERIFIER_KEY)',
      );
      return 2;
    }
    const check = await verifyProofFile(file, key, { witnesses, minWitnesses: min === undefined ? undefined : Number(min) });
    out(JSON.stringify(check, null, 2));
    out(proofCheckPassed(check) ? `OK: ${check.kind} verified` : `FAILED: ${check.kind} did not verify`);
    return proofCheckPassed(check) ? 0 : 1;
  },
};

/** `audit:shredding-check`: crypto-shredding honoured and no plain personal data in payloads (E3). */
export const auditShreddingCheck: CliCommand = {
  name: 'audit:shredding-check',
  usage: 'audit:shredding-check',
  description: 'check that shredded subjects have no vault key and that payloads carry no plain national IDs or phone numbers',
  needsApp: true,
  run: async (_args, { app, out }) => {
    const report = await checkShredding(app!.get(LogDatabase));
    out(JSON.stringify(report, null, 2));
    return report.ok ? 0 : 1;
  },
};
