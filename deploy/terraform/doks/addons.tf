locals {
  kube = digitalocean_kubernetes_cluster.this.kube_config[0]
}

provider "kubernetes" {
  host                   = digitalocean_kubernetes_cluster.this.endpoint
  token                  = local.kube.token
  cluster_ca_certificate = base64decode(local.kube.cluster_ca_certificate)
}

provider "helm" {
  kubernetes = {
    host                   = digitalocean_kubernetes_cluster.this.endpoint
    token                  = local.kube.token
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
  database_url = format("postgres://%s:%s@%s:%d/%s?sslmode=require",
    digitalocean_database_user.dueflow.name,
    urlencode(digitalocean_database_user.dueflow.password),
    digitalocean_database_cluster.postgres.private_host,
    digitalocean_database_cluster.postgres.port,
  digitalocean_database_db.dueflow.name)
  kafka_password = digitalocean_database_user.kafka.password
  kafka = {
    mode           = "external"
    brokers        = ["${digitalocean_database_cluster.kafka.private_host}:${digitalocean_database_cluster.kafka.port}"]
    username       = digitalocean_database_user.kafka.name
    sasl_mechanism = "SHA-256"
    ca_certificate = data.digitalocean_database_ca.kafka.certificate
  }

  depends_on = [
    digitalocean_kubernetes_node_pool.workers,
    digitalocean_database_firewall.postgres,
    digitalocean_database_firewall.kafka,
    digitalocean_database_kafka_topic.topics,
  ]
}
