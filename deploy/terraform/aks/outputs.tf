output "cluster_id" {
  description = "AKS cluster name (az aks get-credentials -g <group> -n <name>)."
  value       = azurerm_kubernetes_cluster.this.name
}

output "public_url" {
  description = "Where users open Dueflow."
  value       = module.addons.public_url
}

output "kafka_brokers" {
  description = "Kafka endpoint of the Event Hubs namespace."
  value       = module.addons.kafka_brokers
}
