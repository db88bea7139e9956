import { resolve } from 'node:path';
import { drillAdmin, runFailoverDrill } from './failover';
import { Cluster, ensureEngines, prepareClusterDir } from './topology';

/**
 * `npm run cluster [-- --instances 3 --port 3100 --sync]`: the several-machine topology on this machine, in the
 * foreground until Ctrl-C. `npm run cluster -- drill`: the failure drill (failover.ts), then everything stops; exit
 * code 1 when a check fails. `npm run cluster -- promote [--port 3100]`, from another shell beside a running cluster: the
 * failover (the old primary fenced at the balancer, the standby promoted and made the writer). Everything lives in
 * `.data/cluster/` (or CLUSTER_DIR); each run starts from empty databases.
 */
const flag = (name: string) => process.argv.includes(`--${name}`);
const value = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  const parsed = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`--${name}: expected a positive integer`);
  return parsed;
};

const main = async () => {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  ensureEngines(log);
  const dir = resolve(process.env.CLUSTER_DIR ?? '.data/cluster');
  prepareClusterDir(dir);
  if (process.argv.includes('promote')) {
    const running = new Cluster({ dir, apiInstances: value('instances', 3), basePort: value('port', 3100), synchronous: false, log });
    await running.promoteStandby();
    return;
  }
  const drill = process.argv.includes('drill');
  // The drill's clients all come from this machine and register hundreds of users: the per-address limits and the
  // production password cost would measure the throttle and scrypt instead of the failover.
  if (drill) {
    Object.assign(process.env, {
      BOOTSTRAP_ADMIN_EMAIL: drillAdmin.email,
      BOOTSTRAP_ADMIN_PASSWORD: drillAdmin.password,
      AUTH_RATE_LIMIT: 'off',
      MONEY_RATE_LIMIT: 'off',
      PASSWORD_HASH_COST: '12',
    });
  }
  const cluster = new Cluster({
    dir,
    apiInstances: value('instances', 3),
    basePort: value('port', 3100),
    synchronous: drill || flag('sync'),
    log,
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping the cluster');
    await cluster.down();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await cluster.up();
  } catch (error) {
    await cluster.down();
    throw error;
  }
  if (drill) {
    const result = await runFailoverDrill(cluster, log).finally(() => cluster.down());
    process.stdout.write(`${JSON.stringify(result)}\n`);
    const passed =
      result.missingUsers === 0 &&
      result.missingSubscriptions === 0 &&
      result.paymentsCapturedTwice === 0 &&
      result.readModelsEqualRebuild === true &&
      String(result.auditVerify).startsWith('OK');
    log(passed ? 'drill passed' : 'drill FAILED');
    process.exit(passed ? 0 : 1);
  }
  log('');
  log(`API through the load balancer: ${cluster.balancerUrl} (docs at ${cluster.balancerUrl}/docs)`);
  log(`primary:  ${cluster.databaseUrl(cluster.primary).replace(cluster.secrets.POSTGRES_PASSWORD, '***')}`);
  log(`standby:  ${cluster.databaseUrl(cluster.standby).replace(cluster.secrets.POSTGRES_PASSWORD, '***')} (read-only, streaming)`);
  log(`secrets and logs: ${dir}`);
  log('Ctrl-C stops everything.');
};

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
