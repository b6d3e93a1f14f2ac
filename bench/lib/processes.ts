// Process helpers for the benchmarks: start a command in its own process group, wait for a URL, read the
// resident memory of a whole process tree from /proc (Linux).
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface Started {
  child: ChildProcess;
  output(): string;
  /** SIGTERM to the whole group, SIGKILL after 15 s; resolves when the leader exited. */
  stop(): Promise<void>;
}

export function startGroup(command: string, args: string[], opts: { cwd: string; env: Record<string, string | undefined> }): Started {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env as NodeJS.ProcessEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const keep = (b: Buffer) => {
    out = (out + b.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      const pid = child.pid;
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        return;
      }
      const t = setTimeout(() => {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 15_000);
      await exited;
      clearTimeout(t);
      // Whatever the leader left in its group (a database server) goes too.
      for (let i = 0; i < 100 && groupMembers(pid).length > 0; i++) await sleep(100);
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    },
  };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Milliseconds until `url` answers 2xx (polling every 20 ms), or throws after `timeoutMs`. */
export async function waitFor(url: string, timeoutMs: number, since = performance.now(), alive?: () => boolean): Promise<number> {
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) return performance.now() - since;
    } catch {
      /* not yet */
    }
    if (alive && !alive()) throw new Error(`process exited before ${url} answered`);
    if (performance.now() - since > timeoutMs) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await sleep(20);
  }
}

interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  rssKb: number;
  /** Proportional set size: shared pages (a database server's shared buffers) divided among their users. */
  pssKb: number;
  name: string;
}

function readProcs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      const rss = /VmRSS:\s+(\d+)/.exec(status);
      let pss: RegExpExecArray | null = null;
      try {
        pss = /^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/smaps_rollup`, 'utf8'));
      } catch {
        /* not readable: counted by its RSS */
      }
      const rssKb = rss ? Number(rss[1]) : 0;
      out.push({ pid: Number(entry), ppid: Number(fields[1]), pgid: Number(fields[2]), rssKb, pssKb: pss ? Number(pss[1]) : rssKb, name });
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

function groupMembers(pgid: number): ProcInfo[] {
  return readProcs().filter((p) => p.pgid === pgid);
}

/** The process and all its descendants, with their resident memory. */
export function processTree(rootPid: number): ProcInfo[] {
  const all = readProcs();
  const byParent = new Map<number, ProcInfo[]>();
  for (const p of all) byParent.set(p.ppid, [...(byParent.get(p.ppid) ?? []), p]);
  const tree: ProcInfo[] = [];
  const walk = (pid: number) => {
    const self = all.find((p) => p.pid === pid);
    if (self) tree.push(self);
    for (const c of byParent.get(pid) ?? []) walk(c.pid);
  };
  walk(rootPid);
  return tree;
}

export function treeRssMb(rootPid: number): number {
  return processTree(rootPid).reduce((s, p) => s + p.rssKb, 0) / 1024;
}

/** The tree's memory with shared pages counted once (sum of PSS). */
export function treePssMb(rootPid: number): number {
  return processTree(rootPid).reduce((s, p) => s + p.pssKb, 0) / 1024;
}

/** Samples the tree's total RSS and PSS every `everyMs` until stopped; returns the peak and per-process peaks. */
export function rssSampler(rootPid: number, everyMs = 100) {
  let peak = 0;
  let peakPss = 0;
  const perProcess = new Map<string, number>();
  const timer = setInterval(() => {
    const tree = processTree(rootPid);
    peak = Math.max(peak, tree.reduce((s, p) => s + p.rssKb, 0) / 1024);
    peakPss = Math.max(peakPss, tree.reduce((s, p) => s + p.pssKb, 0) / 1024);
    for (const p of tree) perProcess.set(p.name, Math.max(perProcess.get(p.name) ?? 0, p.rssKb / 1024));
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return { peakMb: peak, peakPssMb: peakPss, perProcessMb: Object.fromEntries(perProcess) };
    },
  };
}
