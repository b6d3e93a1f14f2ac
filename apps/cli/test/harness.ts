// Test harness: the production wiring (createSystem) on a throwaway database — in-memory PGlite by
// default, or a fresh database on the PostgreSQL server in TEST_DATABASE_URL when DUEFLOW_TEST_DB=postgres.
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { createTestDatabase, type TestDatabase, testsOnPostgres } from '@dueflow/db/testing';
import { type Clock, systemClock } from '@dueflow/runtime';
import { parseEnv } from '../src/config.ts';
import { createSystem, type System, type SystemOptions } from '../src/system.ts';

export { createTestDatabase, type TestDatabase };

export const onPostgres = testsOnPostgres();

/** Every role but the web UI, whose tests run in a browser (apps/web/test). */
export const API_ROLES = 'api,recurring,notification,audit,realtime';

export interface TestSystem {
  system: System;
  url: string;
  stop(): Promise<void>;
}

/** A clock that reads `now` (e.g. a fixed date plus the real time since the test began) with the machine's timers. */
export const clockReading = (now: () => Date): Clock => ({ now, setTimer: (ms, fn) => systemClock.setTimer(ms, fn) });
/**
 * The public URL of a running Dueflow to test instead of starting one: the distributed suite runs the
 * HTTP suites through the web role this way. Tests that need their own settings or the process's
 * internals are skipped there (`{ skip: needsOwnSystem }`); everything else goes through the door a
 * user uses.
 */
export const remoteUrl = process.env.DUEFLOW_TEST_URL ?? null;
export const needsOwnSystem = remoteUrl ? 'needs its own settings or internals (covered by the embedded run)' : false;

/** A running Dueflow elsewhere: only its URL; its relay is drained by its own loop. */
function remoteSystem(url: string): TestSystem & { db: TestDatabase } {
  const unavailable = (what: string) =>
    new Proxy({}, { get: (_t, key) => { throw new Error(`${what}.${String(key)} is not reachable through the public URL (skip the test with needsOwnSystem)`); } });
  const system = new Proxy({ relay: { drain: async () => 0 } }, {
    get: (target, key) => (key in target ? target[key as keyof typeof target] : (unavailable('system') as Record<string | symbol, unknown>)[key]),
  }) as unknown as System;
  return { system, db: unavailable('db') as TestDatabase, url: url.replace(/\/$/, ''), stop: async () => {} };
}

/** Starts Dueflow on a random port with the given env overrides; `db` defaults to a fresh test database. */
export async function startSystem(
  env: Record<string, string> = {},
  opts: { db?: TestDatabase; clock?: Clock; keepDb?: boolean } & Partial<Pick<SystemOptions, 'logger' | 'pushNetwork'>> = {},
): Promise<TestSystem & { db: TestDatabase }> {
  if (remoteUrl) {
    if (Object.keys(env).length > 0 || Object.keys(opts).length > 0) throw new Error('a remote Dueflow has its own settings: skip this suite with needsOwnSystem');
    return remoteSystem(remoteUrl);
  }
  const db = opts.db ?? (await createTestDatabase());
  const system = await createSystem({
    env: parseEnv({ PORT: '0', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', AUTH_RATE_LIMIT_PER_MINUTE: '10000', REMINDER_SWEEP_SECONDS: '1', SERVICES: API_ROLES, ...env }),
    database: db.options,
    ephemeralSecrets: true,
    ...(opts.clock ? { clock: opts.clock } : {}),
    ...(opts.logger ? { logger: opts.logger } : {}),
    ...(opts.pushNetwork ? { pushNetwork: opts.pushNetwork } : {}),
  });
  const address = await system.start();
  if (!address) throw new Error('system has no HTTP role');
  return {
    system,
    db,
    url: address,
    async stop() {
      await system.stop();
      if (!opts.keepDb) await db.drop();
    },
  };
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A small JSON client for the API, optionally signed in. */
export class Client {
  constructor(
    readonly baseUrl: string,
    readonly token: string | null = null,
    readonly userId: string = '',
  ) {}

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    // Node's fetch sends Fetch Metadata headers like a browser, so it sends Origin like one too.
    const h: Record<string, string> = { origin: this.baseUrl, ...headers };
    if (this.token) h['authorization'] = `Bearer ${this.token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.baseUrl + path, { method, headers: h, ...(payload !== undefined ? { body: payload } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
  put<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }
  patch<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body);
  }
  delete<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('DELETE', path, body);
  }
}

let userCounter = 0;

/** Signs up a new user and returns a client holding their bearer token. */
export async function signUp(baseUrl: string, opts: { name?: string; timezone?: string } = {}): Promise<Client> {
  userCounter++;
  const email = `user${userCounter}-${randomBytes(4).toString('hex')}@example.com`;
  const body: Record<string, string> = { name: opts.name ?? `User ${userCounter}`, email, password: 'correct horse battery' };
  if (opts.timezone) body['timezone'] = opts.timezone;
  const res = await new Client(baseUrl).post<{ token: string; user: { id: string } }>('/api/auth/sign-up/email', body);
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return new Client(baseUrl, res.body.token, res.body.user.id);
}

/** An instant `ms` from now, to the millisecond (reminders are stored so; due dates drop the fraction). */
export const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

/**
 * Polls `check` until it returns a value (not undefined) or the timeout passes. The timeout only
 * bounds how long a failing test hangs: it is generous so that a loaded machine does not fail a
 * passing one.
 */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000, everyMs = 20): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export interface TaskJson {
  id: number;
  title: string;
  description: string;
  completed: boolean;
  completed_at: string | null;
  priority: 'high' | 'medium' | 'low';
  tags: string[];
  due_date: string | null;
  reminder_at: string | null;
  remind_before_minutes: number | null;
  recurring: string | null;
  recurrence: Record<string, unknown> | null;
  recurring_parent_id: number | null;
  version: number;
  created_at: string;
  updated_at: string;
}
export interface TaskListJson {
  tasks: TaskJson[];
  next_cursor: string | null;
  total: number;
}
export interface ErrorJson {
  error: { code: string; message: string; details?: unknown };
}

/** A websocket to /api/v1/ws that records every message. */
export class LiveSocket {
  readonly messages: Array<Record<string, unknown> & { type: string }> = [];
  private constructor(readonly ws: import('ws').WebSocket) {
    ws.on('message', (raw) => {
      this.messages.push(JSON.parse(raw.toString()) as Record<string, unknown> & { type: string });
    });
  }

  static async open(client: Client): Promise<LiveSocket> {
    const { WebSocket } = await import('ws');
    const url = `${client.baseUrl.replace(/^http/, 'ws')}/api/v1/ws`;
    const ws = new WebSocket(url, { headers: client.token ? { authorization: `Bearer ${client.token}` } : {} });
    const live = new LiveSocket(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`websocket rejected: ${res.statusCode}`)));
    });
    await eventually(async () => (live.messages.some((m) => m.type === 'hello') ? true : undefined));
    return live;
  }

  of(type: string) {
    return this.messages.filter((m) => m.type === type);
  }

  close() {
    this.ws.close();
  }
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One HTTP/1.1 request written by hand: exactly these headers, this body and this framing. */
export function rawRequest(base: string, head: string, body = ''): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => (data += d));
    socket.on('error', reject);
    socket.on('end', () => {
      const split = data.indexOf('\r\n\r\n');
      const lines = data.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const l of lines.slice(1)) {
        const i = l.indexOf(':');
        headers[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
      }
      let rest = data.slice(split + 4);
      if (headers['transfer-encoding'] === 'chunked') {
        let out = '';
        for (;;) {
          const nl = rest.indexOf('\r\n');
          const size = parseInt(rest.slice(0, nl), 16);
          if (!size) break;
          out += rest.slice(nl + 2, nl + 2 + size);
          rest = rest.slice(nl + 2 + size + 2);
        }
        rest = out;
      }
      resolve({ status: Number(lines[0]?.split(' ')[1]), headers, body: rest });
    });
    socket.write(`${head.replace(/\n/g, '\r\n')}\r\nHost: ${url.host}\r\nConnection: close\r\n\r\n${body}`);
  });
}
