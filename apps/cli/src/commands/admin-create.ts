import { Clock } from '@app/common';
import { IdentityService } from '@app/identity';
import { CliCommand, option } from '../cli-command';

const readStdin = async (): Promise<string> => {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').trim();
};

/** The first admin, with a password the operator chooses (ADMIN_PASSWORD or standard input); none ships. */
export const adminCreate: CliCommand = {
  name: 'admin:create',
  usage: 'admin:create --email <email>   (password from ADMIN_PASSWORD or standard input)',
  description: 'create the first admin account (once; later runs report that it exists)',
  needsApp: true,
  run: async (args, { app, out }) => {
    const email = option(args, 'email');
    if (!email) {
      out('missing --email');
      return 2;
    }
    const password = process.env.ADMIN_PASSWORD ?? (process.stdin.isTTY ? '' : await readStdin());
    if (password.length < 12) {
      out('the password (ADMIN_PASSWORD or standard input) must have at least 12 characters');
      return 2;
    }
    const outcome = await app!.get(IdentityService).bootstrapAdmin(email, password, app!.get(Clock).now());
    out(outcome === 'created' ? `admin ${email} created` : 'an admin was already bootstrapped; nothing changed');
    return 0;
  },
};
