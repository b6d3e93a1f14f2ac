data "google_client_config" "current" {}

locals {
  endpoint = "https://${google_container_cluster.this.endpoint}"
  ca       = base64decode(google_container_cluster.this.master_auth[0].cluster_ca_certificate)
}

provider "kubernetes" {
  host                   = local.endpoint
  token                  = data.google_client_config.current.access_token
  cluster_ca_certificate = local.ca
}

provider "helm" {
  kubernetes = {
    host                   = local.endpoint
    token                  = data.google_client_config.current.access_token
    cluster_ca_certificate = local.ca
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
    google_sql_user.dueflow.name,
    urlencode(random_password.postgres.result),
    google_sql_database_instance.postgres.private_ip_address,
  google_sql_database.dueflow.name)
  kafka_password = google_service_account_key.kafka_client.private_key
  kafka = {
    mode = "external"
    # The bootstrap address of the cluster (port 9092, TLS with a publicly trusted certificate).
    brokers        = ["bootstrap.${google_managed_kafka_cluster.this.cluster_id}.${var.region}.managedkafka.${var.project}.cloud.goog:9092"]
    username       = google_service_account.kafka_client.email
    sasl_mechanism = "PLAIN"
  }

  depends_on = [
    google_container_node_pool.workers,
    google_managed_kafka_topic.topics,
    google_project_iam_member.kafka_client,
  ]
}
