import { createApp } from '../../../api/src/app.factory';
import { CliCommand } from '../cli-command';
import { seedDemo } from '../demo/seed-demo';

/** `demo:seed`: staff accounts and a published catalog for trying the product (see README, "Walkthrough"). */
export const demoSeed: CliCommand = {
  name: 'demo:seed',
  usage: 'demo:seed',
  description: 'create demo staff accounts (passwords printed once) and publish a demo catalog; running it again changes nothing',
  needsApp: false,
  needsDatabase: true,
  run: async (_args, { config, databaseUrl, logger, out }) => {
    // The seed goes through the HTTP routes of an in-process API, which answers after its projections caught up
    // (read-your-writes), so this process runs projections like a server; the advisory lock shares them with one.
    const env = { ...config.env, PROJECTIONS_DISABLED: 'false', AUDIT_SEALER_DISABLED: 'true', SUBSCRIPTION_JOB_INTERVAL_MS: '0' };
    const app = await createApp({ config: { ...config, env }, databaseUrl: databaseUrl!, logger });
    await app.listen(0, '127.0.0.1');
    try {
      const { staff, listings } = await seedDemo(app, await app.getUrl());
      out('staff accounts (log in with POST /auth/login):');
      for (const account of staff) {
        out(
          `  ${account.role.padEnd(20)} ${account.email.padEnd(30)} ${account.password ? `password ${account.password}   (shown only now)` : 'exists already (password as printed when created)'}`,
        );
      }
      out('catalog:');
      for (const listing of listings) out(`  ${listing.created ? 'published' : 'exists   '} ${listing.listingId}  ${listing.title}`);
      return 0;
    } finally {
      await app.close();
    }
  },
};
