output "cluster_id" {
  description = "GKE cluster name (gcloud container clusters get-credentials <name> --region <region>)."
  value       = google_container_cluster.this.name
}

output "public_url" {
  description = "Where users open Dueflow."
  value       = module.addons.public_url
}

output "kafka_brokers" {
  description = "Bootstrap address of Managed Service for Apache Kafka."
  value       = module.addons.kafka_brokers
}
