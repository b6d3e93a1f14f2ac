import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const config: NextConfig = {
  // `DUEFLOW_WEB_OUTPUT=standalone` builds a self-contained server for a container image; the
  // default build is served by Dueflow's own HTTP server (one port with the API).
  ...(process.env.DUEFLOW_WEB_OUTPUT === 'standalone' ? { output: 'standalone' as const } : {}),
  outputFileTracingRoot: repoRoot,
  turbopack: { root: repoRoot },
  // The shared domain package ships TypeScript sources.
  transpilePackages: ['@dueflow/core'],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
};

export default config;
