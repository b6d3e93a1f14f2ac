#!/usr/bin/env bash
# Static checks of deploy/terraform with OpenTofu and providers built from the Go module proxy (no registry):
#   1. `tofu fmt -check -recursive` over everything;
#   2. `tofu init -backend=false` from a filesystem mirror of the providers in providers.txt, then
#      `tofu validate`, for every root whose providers are all in the mirror (modules/addons, local);
#   3. the cloud roots (doks, gke, aks): their cloud provider cannot be built here (providers.txt says why)
#      and `tofu validate` needs every provider's schema, so only what tofu checks without one runs there:
#      the HCL parses (step 1), `tofu get` installs the module tree and `tofu providers` resolves its provider
#      requirements (printed).
# Builds (or reuses from the cache) tofu and the providers with infra/gotool/install.sh; TOFU_DIR overrides.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
log() { printf '[terraform-check] %s\n' "$*" >&2; }

TOFU_DIR="${TOFU_DIR:-$(bash "$ROOT/infra/gotool/install.sh" tofu)}"
TOFU="$TOFU_DIR/tofu"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# --- the filesystem mirror (unpacked layout: <host>/<namespace>/<type>/<version>/<os>_<arch>/) ------------
MIRROR="$WORK/mirror"
while read -r source version tool _; do
  [[ -z "$source" || "$source" == \#* ]] && continue
  dir="$(bash "$ROOT/infra/gotool/install.sh" "$tool")"
  type="${source#*/}"
  dest="$MIRROR/registry.opentofu.org/$source/$version/linux_amd64"
  mkdir -p "$dest"
  ln -s "$dir/$tool" "$dest/terraform-provider-${type}_v$version"
done <"$HERE/providers.txt"

export TF_IN_AUTOMATION=1 TF_CLI_CONFIG_FILE="$WORK/tofurc" TF_PLUGIN_CACHE_DIR=""
# Only the mirror: nothing is ever fetched from a registry.
cat >"$TF_CLI_CONFIG_FILE" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["registry.opentofu.org/hashicorp/*"]
  }
}
RC

log "tofu fmt -check -recursive deploy/terraform ($("$TOFU" version | head -n1))"
"$TOFU" fmt -check -recursive -diff "$HERE"

cp -r "$HERE" "$WORK/terraform"
for mod in modules/addons local; do
  [[ -d "$WORK/terraform/$mod" ]] || continue
  log "tofu init + validate $mod (providers from the mirror)"
  (cd "$WORK/terraform/$mod" && "$TOFU" init -backend=false -input=false -no-color >/dev/null && "$TOFU" validate -no-color)
done
for mod in doks gke aks; do
  log "tofu providers $mod (module tree and provider requirements; no schema for its cloud provider here)"
  (cd "$WORK/terraform/$mod" && "$TOFU" get -no-color >/dev/null && "$TOFU" providers -no-color)
done
log "ok"
