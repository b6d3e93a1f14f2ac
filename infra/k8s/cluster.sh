# Shared settings of up.sh / down.sh / the test suite's helpers (sourced, not run).
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Everything the cluster writes lives here; down.sh deletes it.
K8S_DIR="${DUEFLOW_K8S_DIR:-/var/lib/dueflow-k8s}"
# The cluster's network namespace: the node, the pod bridge, kube-proxy's iptables rules and every
# pod and Service address exist only inside it (and the pods' own namespaces). Its only route
# leads to a dead-end veth, so nothing routed there leaves the machine.
NETNS=dueflow-k8s
NODE_IP=10.44.0.1
CLUSTER_CIDR=10.42.0.0/16
POD_SUBNET=10.42.0.0/24
SERVICE_CIDR=10.43.0.0/16
CLUSTER_DNS=10.43.0.10
BRIDGE=dfk0
# Host ports on 127.0.0.1 relayed into the namespace: the web role (the public URL) and the API server.
WEB_PORT="${DUEFLOW_K8S_WEB_PORT:-21100}"
API_PORT="${DUEFLOW_K8S_API_PORT:-21101}"
NAMESPACE="${DUEFLOW_K8S_NAMESPACE:-dueflow}"
RELEASE=dueflow

CONTAINERD_SOCK="$K8S_DIR/containerd/containerd.sock"
KUBECONFIG_INNER="$K8S_DIR/kubeconfig-netns.yaml"
# The kubeconfig to use from the host (through the 127.0.0.1 relay of the API server).
KUBECONFIG_HOST="$K8S_DIR/kubeconfig.yaml"

in_netns() { nsenter --net="/run/netns/$NETNS" -- "$@"; }
