# The add-ons module on a cluster you already have (a kubeconfig context): self-managed, another cloud, or the
# local k3s of infra/k8s. Dapr, the broker and the database are yours to point at (or let the module install
# Dapr, Redpanda and kube-prometheus-stack from their public charts).
terraform {
  required_version = ">= 1.6"
  required_providers {
    helm = {
      source  = "hashicorp/helm"
      version = ">= 3.0, < 4.0"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 2.30, < 4.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.5, < 4.0"
    }
  }
}

variable "kubeconfig" {
  description = "Path of the kubeconfig."
  type        = string
  default     = "~/.kube/config"
}

variable "context" {
  description = "Its context to use (empty: the current one)."
  type        = string
  default     = ""
}

variable "image" {
  description = "The Dueflow image."
  type = object({
    repository  = string
    tag         = string
    pull_policy = optional(string, "IfNotPresent")
  })
}

variable "database_url" {
  description = "postgres:// URL reachable from the pods."
  type        = string
  sensitive   = true
}

variable "kafka_brokers" {
  description = "Kafka brokers reachable from the pods (plaintext); empty: an in-cluster Redpanda."
  type        = list(string)
  default     = []
}

variable "vapid_keys" {
  description = "Web Push keys (npx web-push generate-vapid-keys --json)."
  type = object({
    public_key  = string
    private_key = string
  })
  sensitive = true
}

variable "install_dapr" {
  description = "Install the Dapr control plane from its public chart (false: it is there already)."
  type        = bool
  default     = true
}

variable "install_monitoring" {
  description = "Install kube-prometheus-stack and turn on Dueflow's monitors, rules and dashboards."
  type        = bool
  default     = true
}

variable "extra_values" {
  description = "More values (YAML text) for the Dueflow chart."
  type        = list(string)
  default     = []
}

provider "kubernetes" {
  config_path    = pathexpand(var.kubeconfig)
  config_context = var.context == "" ? null : var.context
}

provider "helm" {
  kubernetes = {
    config_path    = pathexpand(var.kubeconfig)
    config_context = var.context == "" ? null : var.context
  }
}

module "addons" {
  source = "../modules/addons"

  image        = var.image
  database_url = var.database_url
  vapid_keys   = var.vapid_keys
  kafka = {
    mode    = length(var.kafka_brokers) == 0 ? "in-cluster" : "external"
    brokers = var.kafka_brokers
  }
  dapr         = { install = var.install_dapr }
  monitoring   = { install_stack = var.install_monitoring }
  replicas     = 1
  extra_values = var.extra_values
}

output "namespace" {
  description = "Namespace of the Dueflow release."
  value       = module.addons.namespace
}
