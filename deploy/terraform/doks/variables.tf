variable "name" {
  description = "Prefix of every resource."
  type        = string
  default     = "dueflow"
}

variable "region" {
  description = "DigitalOcean region slug."
  type        = string
  default     = "fra1"
}

variable "node_size" {
  description = "Droplet size of the worker pool."
  type        = string
  default     = "s-4vcpu-8gb"
}

variable "node_count" {
  description = "Worker nodes (minimum and maximum of the autoscaler)."
  type = object({
    min = number
    max = number
  })
  default = { min = 2, max = 5 }
}

variable "postgres_size" {
  description = "Size slug of the managed PostgreSQL cluster."
  type        = string
  default     = "db-s-1vcpu-2gb"
}

variable "kafka_size" {
  description = "Size slug of the managed Kafka cluster (three nodes)."
  type        = string
  default     = "db-s-2vcpu-4gb"
}

variable "image" {
  description = "The Dueflow image, e.g. { repository = \"ghcr.io/<owner>/dueflow\", tag = \"1.0.0\" }."
  type = object({
    repository = string
    tag        = string
  })
}

variable "dueflow_chart" {
  description = "The Dueflow chart: local path or OCI reference, and version."
  type = object({
    chart   = string
    version = optional(string)
  })
  default = { chart = "../../helm/dueflow" }
}

variable "public_host" {
  description = "Host name of the ingress (point its DNS at the ingress controller's load balancer)."
  type        = string
  default     = ""
}

variable "tls_secret_name" {
  description = "TLS secret for the ingress (cert-manager), empty for plain HTTP."
  type        = string
  default     = ""
}

variable "vapid_keys" {
  description = "Web Push keys (npx web-push generate-vapid-keys --json)."
  type = object({
    public_key  = string
    private_key = string
  })
  sensitive = true
}
