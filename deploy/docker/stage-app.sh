#!/usr/bin/env bash
# Stages what the Dueflow image runs into OUT, from a source tree SRC whose web UI is built
# (apps/web/.next): the sources of every workspace without their tests, the production build of the
# web UI without its cache, and production dependencies only. Both image builds use it:
# deploy/docker/Dockerfile (inside its build stage) and infra/k8s/build-images.sh (on the host).
#
#   bash deploy/docker/stage-app.sh SRC OUT
#
# The runtime executes the TypeScript sources through tsx, so tsx (a development tool of the
# repository) is the one dependency moved into the image's production dependencies; the lock file's
# versions are kept. When the runtime runs compiled JavaScript, this is the one place to change.
# Env: NPM_FLAGS (extra npm flags, e.g. --prefer-offline on a machine whose npm cache is warm).
set -euo pipefail

die() { printf '[stage-app] ERROR: %s\n' "$*" >&2; exit 1; }
[[ $# == 2 ]] || die "usage: stage-app.sh SRC OUT"
SRC="$(cd "$1" && pwd)"
mkdir -p "$2"
OUT="$(cd "$2" && pwd)"
[[ -z "$(ls -A "$OUT")" ]] || die "$OUT is not empty"
[[ -f "$SRC/apps/web/.next/BUILD_ID" ]] || die "the web UI in $SRC is not built (npm run build:web)"

# Sources: every workspace, without tests, local data, build caches and dependencies.
tar -C "$SRC" -cf - \
  --exclude=node_modules --exclude=.next --exclude=test --exclude='*.test.ts' --exclude=data \
  --exclude='*.tsbuildinfo' --exclude='*.log' --exclude=next-env.d.ts \
  package.json package-lock.json tsconfig.json packages apps \
  | tar -C "$OUT" -xf -
# The web UI's production build; its cache is rebuilt at run time in a writable volume.
tar -C "$SRC" -cf - --exclude=apps/web/.next/cache apps/web/.next | tar -C "$OUT" -xf -

cd "$OUT"
node -e '
  const fs = require("node:fs");
  const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
  const tsx = pkg.devDependencies && pkg.devDependencies.tsx;
  if (!tsx) throw new Error("package.json has no tsx in devDependencies");
  pkg.dependencies = { ...(pkg.dependencies || {}), tsx };
  delete pkg.devDependencies;
  fs.writeFileSync("package.json", JSON.stringify(pkg, null, 2) + "\n");
'
# shellcheck disable=SC2086  # NPM_FLAGS is a list of flags
npm install --omit=dev --no-audit --no-fund --no-update-notifier ${NPM_FLAGS:-} >&2
[[ -e node_modules/tsx/package.json ]] || die "tsx did not install"
[[ ! -e node_modules/typescript ]] || die "a development dependency (typescript) was installed"
