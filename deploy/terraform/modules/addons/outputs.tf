output "namespace" {
  description = "Namespace of the Dueflow release."
  value       = kubernetes_namespace_v1.dueflow.metadata[0].name
}

output "public_url" {
  description = "Where users open Dueflow (empty without an ingress host)."
  value       = var.public_host == "" ? "" : "${var.tls_secret_name == "" ? "http" : "https"}://${var.public_host}"
}

output "kafka_brokers" {
  description = "The brokers the sidecars use."
  value       = local.kafka_brokers
}

output "release_revision" {
  description = "Revision of the Dueflow Helm release."
  value       = helm_release.dueflow.metadata.revision
}
