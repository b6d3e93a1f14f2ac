#!/usr/bin/env bash
# A real single-node Kubernetes on this machine, without Docker, with Dueflow installed by its Helm
# chart: the Minikube-equivalent path (docs/operations.md). Prints the web role's URL (the public
# entry point) on stdout; progress goes to stderr. Needs root (network namespace, containerd, mounts).
#
#   URL="$(bash infra/k8s/up.sh)"     # e.g. http://127.0.0.1:21100
#   export KUBECONFIG=/var/lib/dueflow-k8s/kubeconfig.yaml    # kubectl / helm from the host
#   bash infra/k8s/down.sh            # removes everything up.sh made
#
# What it does:
#   1. tools (apt), k3s (built from the Go module), helm, every image (infra/k8s/build-images.sh);
#   2. a network namespace "dueflow-k8s" with a dead-end veth as the node (10.44.0.1) and its only
#      route, Debian's containerd (CNI bridge "dfk0", pods in 10.42.0.0/24) and k3s inside it;
#   3. the images imported into containerd, CoreDNS (no forwarding), the Dapr control plane with
#      Dapr's own Helm chart (mTLS by sentry on, scheduler for the Jobs API);
#   4. PostgreSQL and Kafka (deploy/helm/dueflow-infra), one Kubernetes Secret with the app's
#      secrets (read by the app through the Dapr Kubernetes secret store) and the sidecar tokens;
#   5. `helm install dueflow deploy/helm/dueflow -f deploy/helm/values/local.yaml`, waiting until
#      every pod is Ready;
#   6. 127.0.0.1:21100 relayed to the web role's Service and 127.0.0.1:21101 to the API server.
# Idempotent: a running cluster is reused (step 5 becomes an upgrade). Logs: $K8S_DIR/logs.
# Env: DUEFLOW_K8S_DIR, DUEFLOW_K8S_WEB_PORT, DUEFLOW_K8S_API_PORT, DUEFLOW_K8S_NAMESPACE, DUEFLOW_CACHE.
set -euo pipefail
LOG_TAG=k8s-up
. "$(dirname "${BASH_SOURCE[0]}")/cluster.sh"
[[ "$(id -u)" == 0 ]] || die "run as root (it creates a network namespace and runs containerd)"
T0=$SECONDS
step() { log "$* (+$((SECONDS - T0))s)"; }

# --- 1. tools, binaries, images --------------------------------------------------------------------
bash "$K8S_HERE/install-tools.sh"
K3S_DIR="$(bash "$K8S_HERE/build-k3s.sh")"
HELM="$(bash "$REPO_ROOT/infra/helm/install.sh")"
IMAGE_LIST="$(bash "$K8S_HERE/build-images.sh")"
APP_IMAGE="$(cat "$(dirname "$IMAGE_LIST")/dueflow.ref")"
DAPR_VERSION="$(sed -n 's/^DAPR_VERSION=//p' "$REPO_ROOT/infra/dapr/versions.env" | tail -n1)"
step "binaries and images ready (app image $APP_IMAGE)"
KUBECTL=("$K3S_DIR/kubectl" --kubeconfig "$KUBECONFIG_HOST")
mkdir -p "$K8S_DIR/logs" "$K8S_DIR/run"

# --- 2. namespace, containerd, k3s -------------------------------------------------------------------
if [[ ! -e "/run/netns/$NETNS" ]]; then
  # What existed before, so down.sh removes only what the cluster made.
  for p in /etc/rancher /var/lib/cni /var/log/pods /var/log/containers /run/containerd; do
    [[ -e "$p" ]] || echo "$p"
  done >"$K8S_DIR/created-paths"
  ip netns add "$NETNS"
  in_netns ip link set lo up
  # The node's interface: one end of a veth pair whose other end has no address, so what the default
  # route sends there is dropped (this kernel has no dummy devices).
  in_netns ip link add dfk-node type veth peer name dfk-sink
  in_netns ip addr add "$NODE_IP/24" dev dfk-node
  in_netns ip link set dfk-sink up
  in_netns ip link set dfk-node up
  in_netns ip route add default dev dfk-node
  in_netns sysctl -qw net.ipv4.ip_forward=1 net.bridge.bridge-nf-call-iptables=1 net.ipv4.conf.all.route_localnet=1
  step "network namespace $NETNS (node $NODE_IP)"
fi

pid_alive() { [[ -f "$K8S_DIR/run/$1.pid" ]] && kill -0 "$(cat "$K8S_DIR/run/$1.pid")" 2>/dev/null; }
start_bg() {  # name, command...: runs in the namespace, in the background, logging to logs/<name>.log
  local name="$1"; shift
  nsenter --net="/run/netns/$NETNS" -- setsid "$@" >>"$K8S_DIR/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$K8S_DIR/run/$name.pid"
}
wait_for() {  # seconds, description, command...
  local secs="$1" what="$2" deadline=$((SECONDS + $1)); shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || die "$what not ready after ${secs}s (logs in $K8S_DIR/logs)"
    sleep 1
  done
}

if ! pid_alive containerd; then
  mkdir -p "$K8S_DIR/containerd" "$K8S_DIR/cni/net.d" "$K8S_DIR/cni/ipam"
  cat >"$K8S_DIR/cni/net.d/10-dueflow.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "dueflow",
  "plugins": [
    { "type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": { "type": "host-local", "dataDir": "$K8S_DIR/cni/ipam",
                "ranges": [[{ "subnet": "$POD_SUBNET" }]], "routes": [{ "dst": "0.0.0.0/0" }] } },
    { "type": "portmap", "capabilities": { "portMappings": true } }
  ]
}
EOF
  PAUSE_IMAGE="$(awk '$1 ~ /\/pause:/ {print $1}' "$IMAGE_LIST")"
  cat >"$K8S_DIR/containerd/config.toml" <<EOF
version = 2
root = "$K8S_DIR/containerd/root"
state = "$K8S_DIR/containerd/state"
disabled_plugins = ["io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs"]
[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$CONTAINERD_SOCK.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$K8S_DIR/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # This machine's kernel does not give containers CAP_SYS_RESOURCE: runc must not lower oom_score_adj.
  restrict_oom_score_adj = true
  enable_cdi = false
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        BinaryName = "$(command -v runc)"
        Root = "$K8S_DIR/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$K8S_DIR/cni/net.d"
EOF
  start_bg containerd containerd --config "$K8S_DIR/containerd/config.toml"
  wait_for 60 containerd ctr --address "$CONTAINERD_SOCK" version
  step "containerd up"
fi

# Images: import what the cluster does not have yet (the content store lives in $K8S_DIR).
have="$(ctr --address "$CONTAINERD_SOCK" -n k8s.io images ls -q 2>/dev/null || true)"
while read -r ref archive; do
  [[ -n "$ref" ]] || continue
  grep -qxF "$ref" <<<"$have" && continue
  ctr --address "$CONTAINERD_SOCK" -n k8s.io images import "$archive" >/dev/null \
    || die "importing $archive failed"
done <"$IMAGE_LIST"
step "images imported"

if ! pid_alive k3s; then
  printf 'nameserver %s\n' "$NODE_IP" >"$K8S_DIR/resolv.conf"   # nothing listens there: no DNS leaves
  start_bg k3s "$K3S_DIR/k3s" server \
    --data-dir "$K8S_DIR/k3s" --write-kubeconfig "$KUBECONFIG_INNER" --write-kubeconfig-mode 600 \
    --node-name dueflow --node-ip "$NODE_IP" --advertise-address "$NODE_IP" \
    --cluster-cidr "$CLUSTER_CIDR" --service-cidr "$SERVICE_CIDR" --cluster-dns "$CLUSTER_DNS" \
    --disable=traefik,metrics-server,coredns,local-storage --disable-network-policy --disable-helm-controller \
    --disable-cloud-controller --flannel-backend=none --egress-selector-mode=disabled \
    --container-runtime-endpoint "unix://$CONTAINERD_SOCK" --resolv-conf "$K8S_DIR/resolv.conf" \
    --kubelet-arg=fail-cgroupv1=false --kubelet-arg=cgroup-driver=cgroupfs \
    --kubelet-arg=root-dir="$K8S_DIR/kubelet" --kubelet-arg=image-gc-high-threshold=100 \
    --kubelet-arg=image-gc-low-threshold=99 --kubelet-arg=serialize-image-pulls=false
  wait_for 180 "the API server" test -s "$KUBECONFIG_INNER"
  step "k3s started"
fi

# --- relays: 127.0.0.1 on the host <-> unix sockets <-> addresses inside the namespace --------------------
relay() {  # name, host port, target inside the namespace (host:port)
  local name="$1" port="$2" target="$3" sock="$K8S_DIR/run/$1.sock"
  if pid_alive "$name-in" && pid_alive "$name-out" && [[ "$(cat "$K8S_DIR/run/$name.target")" == "$target" ]]; then return; fi
  for p in "$name-in" "$name-out"; do pid_alive "$p" && kill "$(cat "$K8S_DIR/run/$p.pid")" 2>/dev/null || true; done
  rm -f "$sock"
  start_bg "$name-in" socat "UNIX-LISTEN:$sock,fork,mode=600" "TCP:$target"
  wait_for 10 "relay $name" test -S "$sock"
  setsid socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "UNIX-CONNECT:$sock" >>"$K8S_DIR/logs/$name-out.log" 2>&1 </dev/null &
  echo $! >"$K8S_DIR/run/$name-out.pid"
  echo "$target" >"$K8S_DIR/run/$name.target"
}
relay apiserver "$API_PORT" "127.0.0.1:6443"
sed "s#https://127.0.0.1:6443#https://127.0.0.1:$API_PORT#" "$KUBECONFIG_INNER" >"$KUBECONFIG_HOST.tmp"
chmod 600 "$KUBECONFIG_HOST.tmp"; mv "$KUBECONFIG_HOST.tmp" "$KUBECONFIG_HOST"
wait_for 180 "the API server" "${KUBECTL[@]}" get --raw /readyz
node_ready() { "${KUBECTL[@]}" get node dueflow -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' | grep -qx True; }
wait_for 180 "the node" node_ready
step "node Ready"

# --- 3. cluster DNS, Dapr ---------------------------------------------------------------------------------
COREDNS_IMAGE="$(awk '$1 ~ /\/coredns:/ {print $1}' "$IMAGE_LIST")"
sed -e "s#COREDNS_IMAGE#$COREDNS_IMAGE#" -e "s#CLUSTER_DNS#$CLUSTER_DNS#" "$K8S_HERE/manifests/coredns.yaml" \
  | "${KUBECTL[@]}" apply -f - >/dev/null
HELM_ENV=(env KUBECONFIG="$KUBECONFIG_HOST" HELM_CACHE_HOME="$K8S_DIR/helm/cache" HELM_CONFIG_HOME="$K8S_DIR/helm/config" HELM_DATA_HOME="$K8S_DIR/helm/data")
# Dapr's chart is in the dapr module (already in the module cache: infra/dapr/install.sh built from it).
resolve_go 1.21.0
DAPR_CHART="$(cd "$K8S_DIR" && GOFLAGS=-mod=mod "$GO_BIN" mod download -json "github.com/dapr/dapr@v$DAPR_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')/charts/dapr"
[[ -f "$DAPR_CHART/Chart.yaml" ]] || die "Dapr's Helm chart not found in the dapr module ($DAPR_CHART)"
"${HELM_ENV[@]}" "$HELM" upgrade --install dapr "$DAPR_CHART" --namespace dapr-system --create-namespace \
  -f "$K8S_HERE/dapr-values.yaml" --set global.tag="$DAPR_VERSION" --wait --timeout 10m >/dev/null
"${KUBECTL[@]}" -n kube-system rollout status deploy/coredns --timeout=180s >/dev/null
step "CoreDNS and the Dapr control plane Ready"

# --- 4. PostgreSQL, Kafka, secrets ---------------------------------------------------------------------
"${KUBECTL[@]}" create namespace "$NAMESPACE" --dry-run=client -o yaml | "${KUBECTL[@]}" apply -f - >/dev/null
secret_value() { "${KUBECTL[@]}" -n "$NAMESPACE" get secret "$1" -o "jsonpath={.data.$2}" 2>/dev/null | base64 -d; }
PG_PASSWORD="$(secret_value dueflow-postgres password || true)"
[[ -n "$PG_PASSWORD" ]] || PG_PASSWORD="$(head -c 18 /dev/urandom | base64 | tr '+/' 'xy')"
"${KUBECTL[@]}" -n "$NAMESPACE" create secret generic dueflow-postgres --from-literal=password="$PG_PASSWORD" \
  --dry-run=client -o yaml | "${KUBECTL[@]}" apply -f - >/dev/null
if ! "${KUBECTL[@]}" -n "$NAMESPACE" get secret dueflow-secrets >/dev/null 2>&1; then
  # One Kubernetes Secret with every app secret; the app reads it through the Dapr secret store.
  vapid="$(node -e 'const c=require("node:crypto").createECDH("prime256v1");c.generateKeys();const p=c.getPrivateKey();console.log(c.getPublicKey().toString("base64url"),Buffer.concat([Buffer.alloc(32-p.length),p]).toString("base64url"))')"
  "${KUBECTL[@]}" -n "$NAMESPACE" create secret generic dueflow-secrets \
    --from-literal=BETTER_AUTH_SECRET="$(head -c 32 /dev/urandom | base64 | tr '+/' 'xy')" \
    --from-literal=VAPID_PUBLIC_KEY="${vapid% *}" --from-literal=VAPID_PRIVATE_KEY="${vapid#* }" \
    --from-literal=DATABASE_URL="postgres://postgres:$PG_PASSWORD@postgres:5432/dueflow" >/dev/null
  for s in dueflow-app-api-token dueflow-dapr-api-token; do
    "${KUBECTL[@]}" -n "$NAMESPACE" create secret generic "$s" --from-literal=token="$(head -c 24 /dev/urandom | base64 | tr '+/' 'xy')" >/dev/null
  done
fi
"${HELM_ENV[@]}" "$HELM" upgrade --install dueflow-infra "$REPO_ROOT/deploy/helm/dueflow-infra" --namespace "$NAMESPACE" \
  -f "$REPO_ROOT/deploy/helm/values/local-infra.yaml" \
  --set postgres.image="$(awk '$1 ~ /\/postgres:/ {print $1}' "$IMAGE_LIST")" \
  --set kafka.image="$(awk '$1 ~ /\/kafka:/ {print $1}' "$IMAGE_LIST")" \
  --set persistence.hostPath="$K8S_DIR/volumes" --wait --timeout 10m >/dev/null
step "PostgreSQL and Kafka Ready"

# --- 5. Dueflow ------------------------------------------------------------------------------------------
T5=$SECONDS
"${HELM_ENV[@]}" "$HELM" upgrade --install "$RELEASE" "$REPO_ROOT/deploy/helm/dueflow" --namespace "$NAMESPACE" \
  -f "$REPO_ROOT/deploy/helm/values/local.yaml" \
  --set image.repository="${APP_IMAGE%:*}" --set image.tag="${APP_IMAGE##*:}" \
  --set publicUrl="http://127.0.0.1:$WEB_PORT" --wait --timeout 15m >/dev/null
"${KUBECTL[@]}" -n "$NAMESPACE" wait --for=condition=Ready pod --field-selector=status.phase!=Succeeded --all --timeout=300s >/dev/null
step "Dueflow installed, every pod Ready ($((SECONDS - T5))s for the release)"

# --- 6. the public URL --------------------------------------------------------------------------------
WEB_IP="$("${KUBECTL[@]}" -n "$NAMESPACE" get svc "$RELEASE-web" -o jsonpath='{.spec.clusterIP}')"
relay web "$WEB_PORT" "$WEB_IP:80"
wait_for 60 "the web role through 127.0.0.1:$WEB_PORT" curl -fsS "http://127.0.0.1:$WEB_PORT/readyz"
{
  echo "KUBECONFIG=$KUBECONFIG_HOST"
  echo "DUEFLOW_K8S_URL=http://127.0.0.1:$WEB_PORT"
  echo "DUEFLOW_K8S_NAMESPACE=$NAMESPACE"
  echo "DUEFLOW_K8S_APP_IMAGE=$APP_IMAGE"
  echo "HELM_BIN=$HELM"
  echo "KUBECTL_BIN=$K3S_DIR/kubectl"
} >"$K8S_DIR/env"
step "ready: http://127.0.0.1:$WEB_PORT (kubectl/helm: KUBECONFIG=$KUBECONFIG_HOST; settings in $K8S_DIR/env)"
printf 'http://127.0.0.1:%s\n' "$WEB_PORT"
