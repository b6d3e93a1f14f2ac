import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const config: NextConfig = {
  // Every page is client-rendered on the public REST API, so the UI is a static export (apps/web/out):
  // served by Dueflow's own HTTP server on the API's port, or by any static server or CDN.
  output: 'export',
  outputFileTracingRoot: repoRoot,
  turbopack: { root: repoRoot },
  // The shared domain package ships TypeScript sources.
  transpilePackages: ['@dueflow/core'],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
};

export default config;
