import { ProjectionRunner } from '@app/platform';
import { CliCommand } from '../cli-command';

export const projectionsRebuild: CliCommand = {
  name: 'projections:rebuild',
  usage: 'projections:rebuild [name ...]',
  description: 'empty read models and replay the event log from position zero (all projections, or the named ones)',
  needsApp: true,
  run: async (args, { app, out }) => {
    const runner = app!.get(ProjectionRunner);
    runner.discover();
    const names = args.filter((arg) => !arg.startsWith('-'));
    const unknown = names.filter((name) => !runner.list().some((projection) => projection.name === name));
    if (unknown.length) {
      out(
        `unknown projection(s): ${unknown.join(', ')}; known: ${runner
          .list()
          .map((projection) => projection.name)
          .join(', ')}`,
      );
      return 2;
    }
    for (const result of await runner.rebuild(names.length ? names : undefined)) {
      const rate = result.ms > 0 ? Math.round((result.events / result.ms) * 1000) : result.events;
      out(`${result.name}: ${result.events} events in ${result.ms} ms (${rate} events/s)`);
    }
    return 0;
  },
};
