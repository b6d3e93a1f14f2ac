variable "name" {
  description = "Prefix of every resource."
  type        = string
  default     = "dueflow"
}

variable "location" {
  description = "Azure region."
  type        = string
  default     = "westeurope"
}

variable "vm_size" {
  description = "VM size of the worker pool."
  type        = string
  default     = "Standard_D4s_v5"
}

variable "node_count" {
  description = "Worker nodes (minimum and maximum of the autoscaler)."
  type = object({
    min = number
    max = number
  })
  default = { min = 2, max = 5 }
}

variable "postgres_sku" {
  description = "SKU of the PostgreSQL flexible server."
  type        = string
  default     = "GP_Standard_D2ds_v5"
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
