output "cluster_id" {
  description = "DOKS cluster id (doctl kubernetes cluster kubeconfig save <id>)."
  value       = digitalocean_kubernetes_cluster.this.id
}

output "public_url" {
  description = "Where users open Dueflow."
  value       = module.addons.public_url
}

output "kafka_brokers" {
  description = "Private address of the managed Kafka."
  value       = module.addons.kafka_brokers
}
