import { pino, type Logger } from 'pino';
import { currentTrace } from './trace.ts';

export type { Logger } from 'pino';

/** Structured JSON logs on stdout; `silent` in tests unless asked for. */
export function createLogger(opts: { level: string; name?: string }): Logger {
  return pino({
    level: opts.level,
    base: { service: opts.name ?? 'dueflow' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Every line written while serving a request or an event carries its trace id.
    mixin: () => {
      const t = currentTrace();
      return t ? { trace_id: t.traceId } : {};
    },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', '*.password', '*.token'], remove: true },
  });
}
