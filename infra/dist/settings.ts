// What the runner passes to every role: an allow-list, never the caller's whole environment.
// Settings come from `--env FILE` (KEY=VALUE lines) and `--set KEY=VALUE`, and are checked against the
// app's own configuration schema, so a typo fails `up` instead of being ignored by every role.
import { readFileSync } from 'node:fs';
import { envSchema, parseEnv } from '../../apps/cli/src/config.ts';

/** Set by the runner for each process; a setting may not override them. */
export const RUNNER_OWNED = [
  'PORT',
  'HOST',
  'SERVICES',
  'DUEFLOW_MODE',
  'DAPR_HTTP_PORT',
  'DAPR_API_TOKEN',
  'APP_API_TOKEN',
  'DATA_DIR',
  'DATABASE_URL',
  'DUEFLOW_REALTIME_URL',
] as const;

/** Of the caller's environment only these reach a process (the system's basics, no settings). */
export const INHERITED = ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR'] as const;

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/** Reads KEY=VALUE lines (`#` comments, blank lines, optional `export `, optional quotes). */
export function parseEnvFile(text: string, source = 'env file'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new SettingsError(`${source}:${i + 1}: expected KEY=VALUE`);
    let value = m[2] ?? '';
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2] ?? '';
    out[m[1] as string] = value;
  }
  return out;
}

/** Settings from files and KEY=VALUE pairs (later ones win), checked against the app's schema. */
export function loadSettings(files: string[], pairs: string[]): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const f of files) Object.assign(settings, parseEnvFile(readFileSync(f, 'utf8'), f));
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new SettingsError(`--set ${p}: expected KEY=VALUE`);
    settings[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return checkSettings(settings);
}

export function checkSettings(settings: Record<string, string>): Record<string, string> {
  const known = Object.keys(envSchema.shape);
  for (const key of Object.keys(settings)) {
    if ((RUNNER_OWNED as readonly string[]).includes(key)) throw new SettingsError(`${key} is set by the runner for each process`);
    if (!known.includes(key)) throw new SettingsError(`unknown setting ${key} (known: ${known.filter((k) => !(RUNNER_OWNED as readonly string[]).includes(k)).join(', ')})`);
  }
  try {
    parseEnv(settings);
  } catch (err) {
    throw new SettingsError(err instanceof Error ? err.message : String(err));
  }
  return settings;
}

/** The caller's basics (PATH, HOME, …) and nothing else. */
export function inheritedEnv(from: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of INHERITED) {
    const v = from[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}
