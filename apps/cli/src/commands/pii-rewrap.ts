import { PiiVault } from '@app/platform';
import { CliCommand } from '../cli-command';

/** `pii:rewrap`: the last step of a master key rotation, after which the old key can leave PII_MASTER_KEYS. */
export const piiRewrap: CliCommand = {
  name: 'pii:rewrap',
  usage: 'pii:rewrap',
  description: "re-wrap every investor's data key under the current PII master key (PII_MASTER_KEY_ID)",
  needsApp: true,
  run: async (_args, { app, out }) => {
    const rewrapped = await app!.get(PiiVault).rewrapAll();
    out(`${rewrapped} data key(s) re-wrapped under the current master key; keys no longer listed are not needed to read the vault`);
    return 0;
  },
};
