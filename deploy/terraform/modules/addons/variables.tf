variable "namespace" {
  description = "Namespace of the Dueflow release (one release per namespace)."
  type        = string
  default     = "dueflow"
}

variable "dueflow_chart" {
  description = "The Dueflow chart: a local path (deploy/helm/dueflow) or an OCI reference (oci://ghcr.io/<owner>/charts/dueflow) with its version."
  type = object({
    chart   = string
    version = optional(string)
  })
  default = { chart = "../../helm/dueflow" }
}

variable "image" {
  description = "The Dueflow image (one image, every role)."
  type = object({
    repository  = string
    tag         = string
    pull_policy = optional(string, "IfNotPresent")
  })
}

variable "public_host" {
  description = "Host name users open (the ingress host); empty: no ingress (kubectl port-forward)."
  type        = string
  default     = ""
}

variable "ingress_class" {
  description = "IngressClass of the cluster's ingress controller (installed separately, e.g. ingress-nginx)."
  type        = string
  default     = "nginx"
}

variable "tls_secret_name" {
  description = "Secret holding the ingress TLS certificate (e.g. made by cert-manager); empty: plain HTTP."
  type        = string
  default     = ""
}

variable "database_url" {
  description = "postgres:// URL of the managed PostgreSQL database, with sslmode as the provider needs."
  type        = string
  sensitive   = true
}

variable "kafka" {
  description = <<-EOT
    The broker. mode "external": brokers and, for SASL over TLS, username (password in kafka_password),
    mechanism (SHA-256, SHA-512 or PLAIN) and an optional CA certificate: the managed Kafka of the cloud.
    mode "in-cluster": a single-node Redpanda (Kafka API) installed by this module in namespace kafka;
    fine for staging and small teams.
  EOT
  type = object({
    mode           = string
    brokers        = optional(list(string), [])
    username       = optional(string, "")
    sasl_mechanism = optional(string, "SHA-512")
    ca_certificate = optional(string, "")
  })
  validation {
    condition     = contains(["external", "in-cluster"], var.kafka.mode)
    error_message = "kafka.mode is external or in-cluster."
  }
}

variable "kafka_password" {
  description = "SASL password of kafka.username."
  type        = string
  default     = ""
  sensitive   = true
}

variable "vapid_keys" {
  description = "Web Push keys (npx web-push generate-vapid-keys --json); they must stay the same for the life of the subscriptions."
  type = object({
    public_key  = string
    private_key = string
  })
  sensitive = true
}

variable "llm" {
  description = "Optional OpenAI-compatible model for the assistant; empty base_url: the built-in parser."
  type = object({
    base_url = optional(string, "")
    model    = optional(string, "")
  })
  default = {}
}

variable "llm_api_key" {
  description = "API key of the model (LLM_API_KEY), if it needs one."
  type        = string
  default     = ""
  sensitive   = true
}

variable "dapr" {
  description = "The Dapr control plane: the chart (repository + name, or a local path) and its version."
  type = object({
    install    = optional(bool, true)
    repository = optional(string, "https://dapr.github.io/helm-charts")
    chart      = optional(string, "dapr")
    version    = optional(string, "1.18.2")
    values     = optional(list(string), [])
  })
  default = {}
}

variable "monitoring" {
  description = "kube-prometheus-stack (Prometheus Operator, Grafana with its dashboard sidecar, Alertmanager) plus Dueflow's rules, dashboards and monitors; and where traces go."
  type = object({
    install_stack      = optional(bool, true)
    stack_version      = optional(string, "77.0.0")
    otlp_http_endpoint = optional(string, "")
    otlp_grpc_endpoint = optional(string, "")
  })
  default = {}
}

variable "replicas" {
  description = "Replicas of the entry points (api, web, realtime); 2 or more makes PodDisruptionBudgets and rolling updates without downtime."
  type        = number
  default     = 2
}

variable "extra_values" {
  description = "More values files (YAML text) for the Dueflow chart, applied last."
  type        = list(string)
  default     = []
}
