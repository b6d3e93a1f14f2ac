// The supervisor's control channel: HTTP over a Unix socket in the run directory (mode 0700, so only
// its owner can use it), and the state file it writes once the cluster is up.
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { ProcessInfo, ProcessStatus } from './cluster.ts';

export const socketPath = (runDir: string) => join(runDir, 'supervisor.sock');
export const stateFile = (runDir: string) => join(runDir, 'cluster.json');
export const pidFile = (runDir: string) => join(runDir, 'supervisor.pid');
export const childPidsFile = (runDir: string) => join(runDir, 'pids.json');

/** What `up` leaves for the CLI and for tests: addresses, tokens (the run directory is private). */
export interface ClusterState {
  runDir: string;
  webUrl: string;
  apiUrl: string;
  appApiToken: string;
  daprApiToken: string;
  supervisorPid: number;
  processes: ProcessInfo[];
}

export interface SupervisorStatus {
  phase: 'starting' | 'ready' | 'stopping' | 'failed';
  error?: string;
  webUrl: string;
  processes: ProcessStatus[];
}

export function readState(runDir: string): ClusterState | null {
  const f = stateFile(runDir);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as ClusterState) : null;
}

/** One request to the supervisor; rejects when nothing listens. */
export function call<T>(runDir: string, method: 'GET' | 'POST', path: string, body?: unknown, timeoutMs = 300_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      { socketPath: socketPath(runDir), method, path, headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}, timeout: timeoutMs },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => {
          const parsed = text ? (JSON.parse(text) as T & { error?: string }) : (null as T);
          if ((res.statusCode ?? 500) >= 400) reject(new Error((parsed as { error?: string } | null)?.error ?? `supervisor answered ${res.statusCode}`));
          else resolve(parsed);
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`supervisor did not answer ${method} ${path} in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** The supervisor's status, or null when none runs for this directory. */
export async function status(runDir: string): Promise<SupervisorStatus | null> {
  try {
    return await call<SupervisorStatus>(runDir, 'GET', '/status', undefined, 10_000);
  } catch {
    return null;
  }
}

/** Typed calls the CLI and the tests make. */
export const supervisor = {
  stop: (runDir: string, name: string, opts: { signal?: NodeJS.Signals; part?: 'app' | 'sidecar' } = {}) => call<{ stopped: string[] }>(runDir, 'POST', '/stop', { name, ...opts }),
  start: (runDir: string, name: string) => call<{ started: string[] }>(runDir, 'POST', '/start', { name }),
  restart: (runDir: string, target: string) => call<{ restarted: string[] }>(runDir, 'POST', '/restart', { target }),
  shutdown: (runDir: string) => call<{ stopping: true }>(runDir, 'POST', '/shutdown', {}),
};
