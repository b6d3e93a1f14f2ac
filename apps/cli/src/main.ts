#!/usr/bin/env node
// dueflow: start (embedded, every role), serve --role <name>, migrate, mcp (stdio).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type DatabaseOptions, eventsRepo, migrate, openDatabase } from '@dueflow/db';
import { DeadLetterReplayer } from '@dueflow/services';
import { createLogger, type Logger } from '@dueflow/runtime';
import { ConfigError, type Env, parseEnv } from './config.ts';
import { createSystem, databaseOptionsFromEnv, VERSION } from './system.ts';

const USAGE = `dueflow ${VERSION}

Usage:
  dueflow start                  run everything in one process (embedded PGlite unless DATABASE_URL)
  dueflow serve --role <roles>   run the given roles (comma-separated: api, web, recurring, notification, audit, realtime)
  dueflow migrate                apply database migrations and exit
  dueflow build-web              build the web UI (start does this when its sources changed)
  dueflow dead-letters           list events no consumer could handle (DATABASE_URL, or DATA_DIR)
  dueflow dead-letters replay <id…> | --all
                                 send them to their topic again (consumers skip what they handled)
  dueflow dead-letters discard <id…> | --all
                                 delete them for good
  dueflow mcp                    MCP server on stdio, relaying to a running Dueflow
                                 (DUEFLOW_URL, default http://127.0.0.1:3000; DUEFLOW_TOKEN)
  dueflow help

Configuration comes from the environment; see README.md.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'start':
      return run(parseEnv(process.env), true);
    case 'serve': {
      const { values } = parseArgs({ args: rest, options: { role: { type: 'string', multiple: true } }, strict: true });
      const roles = (values.role ?? []).join(',');
      if (!roles) throw new ConfigError('serve needs --role <name>');
      return run(parseEnv({ ...process.env, SERVICES: roles }), false);
    }
    case 'build-web': {
      const { ensureWebBuild } = await import('@dueflow/web');
      await ensureWebBuild();
      return 0;
    }
    case 'dead-letters':
      return deadLetters(rest);
    case 'mcp': {
      const { runMcpBridge } = await import('./mcp-bridge.ts');
      return runMcpBridge(process.env);
    }
    case 'migrate': {
      const env = parseEnv(process.env);
      const logger = createLogger({ level: env.LOG_LEVEL });
      const database = await openDatabase(databaseOptionsFromEnv(env, logger));
      try {
        const applied = await migrate(database);
        logger.info({ applied, database: database.kind }, applied.length ? 'migrations applied' : 'database is up to date');
      } finally {
        await database.close();
      }
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 1 : 0;
    case '--version':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    default:
      process.stderr.write(`unknown command "${command}"\n\n${USAGE}\n`);
      return 2;
  }
}

async function deadLetters(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { all: { type: 'boolean' } }, allowPositionals: true, strict: true });
  const [action = 'list', ...ids] = positionals;
  if (!['list', 'replay', 'discard'].includes(action)) throw new ConfigError(`unknown dead-letters action "${action}" (list, replay, discard)`);
  if (action !== 'list') {
    if (ids.some((id) => !/^\d{1,18}$/.test(id))) throw new ConfigError(`dead-letters ${action} takes the numeric ids that list shows, or --all`);
    if (Boolean(values.all) === ids.length > 0) throw new ConfigError(`dead-letters ${action} needs ids or --all (not both)`);
  }
  const env = parseEnv(process.env);
  const logger = createLogger({ level: env.LOG_LEVEL });
  const database = await openDatabase(existingDatabase(env, logger));
  try {
    await migrate(database);
    const letters = await eventsRepo.listDeadLetters(database.db);
    if (action === 'list') {
      for (const d of letters) {
        process.stdout.write(`${d.id}\t${d.topic}\t${d.consumer}\t${d.eventId}\treplays=${d.replays}\t${d.replayAt ? `next=${d.replayAt.toISOString()}` : 'waiting'}\t${d.error}\n`);
      }
      return 0;
    }
    const chosen = values.all ? letters.map((d) => d.id) : ids.map((id) => BigInt(id));
    const missing = chosen.filter((id) => !letters.some((d) => d.id === id));
    for (const id of missing) process.stderr.write(`dead letter ${id}: not found\n`);
    if (action === 'discard') {
      const gone = await eventsRepo.discardDeadLetters(database.db, chosen);
      for (const id of gone) process.stdout.write(`${id}\tdiscarded\n`);
      return missing.length > 0 ? 1 : 0;
    }
    // A running relay publishes what is queued here.
    const result = await new DeadLetterReplayer({ database, logger, now: () => new Date(), afterCommit: () => {} }).replayIds(chosen);
    for (const id of result.replayed) process.stdout.write(`${id}\tqueued for publishing\n`);
    for (const h of result.held) process.stdout.write(`${h.id}\theld: ${h.reason}\n`);
    return missing.length > 0 || result.held.length > 0 ? 1 : 0;
  } finally {
    await database.close();
  }
}

/**
 * The database an operator's command works on: DATABASE_URL, or an embedded install's data that is
 * already there. Never a new empty database (a command run in the wrong directory must say so).
 */
function existingDatabase(env: Env, logger: Logger): DatabaseOptions {
  const options = databaseOptionsFromEnv(env, logger);
  // The embedded server's cluster (DATA_DIR/postgres) or a PGlite database (DATA_DIR/db).
  if (options.kind === 'embedded' && !['postgres', 'db'].some((d) => existsSync(join(options.dataDir, d, 'PG_VERSION')))) {
    throw new ConfigError(
      `no Dueflow database here: set DATABASE_URL (distributed mode) or DATA_DIR to an embedded install's data directory (looked in ${options.dataDir})`,
    );
  }
  return options;
}

async function run(env: Env, buildWeb: boolean): Promise<number> {
  if (buildWeb && env.SERVICES.includes('web')) {
    // A checkout builds the UI when its sources changed; an image holds only the built export.
    const { ensureWebBuild, hasWebSources } = await import('@dueflow/web');
    const logger = createLogger({ level: env.LOG_LEVEL });
    if (hasWebSources()) await ensureWebBuild(() => logger.info('building the web UI (once, about a minute)'));
  }
  const system = await createSystem({ env });
  const url = await system.start();
  if (url) system.logger.info({ url, docs: `${url}/docs` }, 'Dueflow is ready');
  await new Promise<void>((resolveStop) => {
    const shutdown = (signal: string) => {
      system.logger.info({ signal }, 'shutting down');
      system.stop().then(resolveStop, (err: unknown) => {
        system.logger.error({ err: String(err) }, 'shutdown failed');
        resolveStop();
      });
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError || (err instanceof Error && err.name === 'TypeError' && 'code' in err)) {
      process.stderr.write(`dueflow: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`dueflow: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
