#!/usr/bin/env node
// `npm start` and `npm run dueflow -- <command>`: compiles the server when its sources changed (about a
// second), then runs the compiled `dueflow` command in this same process (no second Node process).
import { buildServer, MAIN_URL } from './build-server.mjs';

await buildServer();
await import(MAIN_URL);
