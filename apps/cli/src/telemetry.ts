import { type Logger, OtlpTraceExporter } from '@dueflow/runtime';
import type { Env, Role } from './config.ts';

/** The OTLP trace exporter the env asks for, or null (traces then only propagate, W3C, through logs and events). */
export function traceExporterFromEnv(env: Env, roles: Role[], version: string, logger: Logger): OtlpTraceExporter | null {
  const url = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (env.OTEL_EXPORTER_OTLP_ENDPOINT ? `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces` : null);
  if (!url) return null;
  const serviceName = env.OTEL_SERVICE_NAME ?? (env.DUEFLOW_MODE === 'dapr' ? `dueflow-${roles.join('+')}` : 'dueflow');
  return new OtlpTraceExporter({
    url,
    resource: { 'service.name': serviceName, 'service.version': version, 'service.namespace': 'dueflow', 'dueflow.mode': env.DUEFLOW_MODE },
    headers: parseHeaders(env.OTEL_EXPORTER_OTLP_HEADERS),
    logger,
  });
}

function parseHeaders(text: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    const i = pair.indexOf('=');
    if (i > 0) out[decodeURIComponent(pair.slice(0, i).trim())] = decodeURIComponent(pair.slice(i + 1).trim());
  }
  return out;
}
