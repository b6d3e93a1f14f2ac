// node --import tsx infra/dist/main.ts up|down — see infra/dist/up.sh.
import { parseArgs } from 'node:util';
import { Cluster } from './cluster.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    dapr: { type: 'string' },
    kafka: { type: 'string' },
    database: { type: 'string' },
    run: { type: 'string', default: '/tmp/dueflow-dist' },
  },
});
const runDir = values.run ?? '/tmp/dueflow-dist';

if (positionals[0] === 'down') {
  Cluster.downFromPids(runDir);
  process.stdout.write('stopped\n');
} else if (positionals[0] === 'up') {
  if (!values.dapr || !values.kafka || !values.database) throw new Error('up needs --dapr, --kafka and --database');
  Cluster.downFromPids(runDir);
  const cluster = new Cluster({ daprDir: values.dapr, kafkaBrokers: values.kafka, databaseUrl: values.database, runDir, detached: true });
  await cluster.start();
  cluster.release();
  process.stdout.write(`${cluster.webUrl}\n`);
} else {
  process.stderr.write('usage: main.ts up --dapr DIR --kafka HOST:PORT --database URL [--run DIR] | down [--run DIR]\n');
  process.exitCode = 2;
}
