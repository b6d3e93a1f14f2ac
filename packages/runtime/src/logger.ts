import { pino, type Logger } from 'pino';

export type { Logger } from 'pino';

/** Structured JSON logs on stdout; `silent` in tests unless asked for. */
export function createLogger(opts: { level: string; name?: string }): Logger {
  return pino({
    level: opts.level,
    base: { service: opts.name ?? 'dueflow' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'], remove: true },
  });
}
