variable "project" {
  description = "Google Cloud project id."
  type        = string
}

variable "name" {
  description = "Prefix of every resource."
  type        = string
  default     = "dueflow"
}

variable "region" {
  description = "Region of the (regional) cluster, Cloud SQL and Managed Kafka."
  type        = string
  default     = "europe-west3"
}

variable "machine_type" {
  description = "Machine type of the worker pool."
  type        = string
  default     = "e2-standard-4"
}

variable "node_count" {
  description = "Worker nodes per zone (minimum and maximum of the autoscaler)."
  type = object({
    min = number
    max = number
  })
  default = { min = 1, max = 3 }
}

variable "postgres_tier" {
  description = "Cloud SQL machine tier."
  type        = string
  default     = "db-custom-2-7680"
}

variable "deletion_protection" {
  description = "Protect the cluster and the database from terraform destroy."
  type        = bool
  default     = true
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
