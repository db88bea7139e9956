import '../../../libs/platform/src/register-paths';
import { startWitness } from './witness-server';

/**
 * `npm run witness -- --name witness.example/w1 --port 47010 --data .data/witness-1 --log <log verifier key> [--log …]`
 * Starts a C2SP tlog-witness for the given logs and prints its cosigner key.
 */
const values = (args: string[], name: string): string[] =>
  args
    .flatMap((arg, i) => (arg === `--${name}` ? [args[i + 1]] : arg.startsWith(`--${name}=`) ? [arg.slice(name.length + 3)] : []))
    .filter((v): v is string => !!v);

const main = async () => {
  const args = process.argv.slice(2);
  const [name] = values(args, 'name');
  const [port] = values(args, 'port');
  const [data] = values(args, 'data');
  const logKeys = [...values(args, 'log'), ...(process.env.WITNESS_LOG_KEYS ?? '').split(',').filter(Boolean)];
  if (!name || !port || !data || logKeys.length === 0 || !Number.isInteger(Number(port))) {
    console.error(
      'usage: npm run witness -- --name <witness name> --port <port> --data <folder> --log <log verifier key> [--log …] [--host 127.0.0.1]',
    );
    process.exit(2);
  }
  const [host] = values(args, 'host');
  const witness = await startWitness({ name, port: Number(port), dataDir: data, logKeys, host });
  process.stdout.write(`${JSON.stringify({ msg: 'witness listening', url: witness.url, cosignerKey: witness.cosignerKey })}\n`);
  const stop = () => void witness.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
