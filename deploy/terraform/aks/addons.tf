locals {
  kube = azurerm_kubernetes_cluster.this.kube_config[0]
}

provider "kubernetes" {
  host                   = local.kube.host
  client_certificate     = base64decode(local.kube.client_certificate)
  client_key             = base64decode(local.kube.client_key)
  cluster_ca_certificate = base64decode(local.kube.cluster_ca_certificate)
}

provider "helm" {
  kubernetes = {
    host                   = local.kube.host
    client_certificate     = base64decode(local.kube.client_certificate)
    client_key             = base64decode(local.kube.client_key)
    cluster_ca_certificate = base64decode(local.kube.cluster_ca_certificate)
  }
}

module "addons" {
  source = "../modules/addons"

  image           = { repository = var.image.repository, tag = var.image.tag }
  dueflow_chart   = var.dueflow_chart
  public_host     = var.public_host
  tls_secret_name = var.tls_secret_name
  vapid_keys      = var.vapid_keys
  database_url = format("postgres://%s:%s@%s:5432/%s?sslmode=require",
    azurerm_postgresql_flexible_server.this.administrator_login,
    urlencode(random_password.postgres.result),
    azurerm_postgresql_flexible_server.this.fqdn,
  azurerm_postgresql_flexible_server_database.dueflow.name)
  kafka_password = azurerm_eventhub_namespace_authorization_rule.dueflow.primary_connection_string
  kafka = {
    mode = "external"
    # Event Hubs' Kafka endpoint: user "$ConnectionString", the connection string as the password.
    brokers        = ["${azurerm_eventhub_namespace.kafka.name}.servicebus.windows.net:9093"]
    username       = "$ConnectionString"
    sasl_mechanism = "PLAIN"
  }

  depends_on = [
    azurerm_kubernetes_cluster_node_pool.workers,
    azurerm_postgresql_flexible_server_configuration.extensions,
    azurerm_eventhub.topics,
  ]
}
