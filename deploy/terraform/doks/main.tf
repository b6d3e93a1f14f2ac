# DigitalOcean: a DOKS cluster with an autoscaled worker pool, managed PostgreSQL and managed Kafka in one
# VPC, reachable only from the cluster (database firewalls), then the add-ons module.

provider "digitalocean" {}

locals {
  topics = ["task-events", "reminders", "task-updates", "task-events-dlq", "reminders-dlq", "task-updates-dlq"]
}

data "digitalocean_kubernetes_versions" "current" {}

resource "digitalocean_vpc" "this" {
  name   = "${var.name}-vpc"
  region = var.region
}

resource "digitalocean_kubernetes_cluster" "this" {
  name          = var.name
  region        = var.region
  version       = data.digitalocean_kubernetes_versions.current.latest_version
  vpc_uuid      = digitalocean_vpc.this.id
  auto_upgrade  = true
  surge_upgrade = true

  # Small fixed pool for the system pods; Dueflow runs on the worker pool below.
  node_pool {
    name       = "${var.name}-system"
    size       = "s-2vcpu-4gb"
    node_count = 1
  }

  maintenance_policy {
    day        = "sunday"
    start_time = "03:00"
  }
}

resource "digitalocean_kubernetes_node_pool" "workers" {
  cluster_id = digitalocean_kubernetes_cluster.this.id
  name       = "${var.name}-workers"
  size       = var.node_size
  auto_scale = true
  min_nodes  = var.node_count.min
  max_nodes  = var.node_count.max
  labels     = { workload = "dueflow" }
}

# --- PostgreSQL ---------------------------------------------------------------------------------------
resource "digitalocean_database_cluster" "postgres" {
  name                 = "${var.name}-pg"
  engine               = "pg"
  version              = "16"
  size                 = var.postgres_size
  region               = var.region
  node_count           = 1
  private_network_uuid = digitalocean_vpc.this.id
}

resource "digitalocean_database_db" "dueflow" {
  cluster_id = digitalocean_database_cluster.postgres.id
  name       = "dueflow"
}

resource "digitalocean_database_user" "dueflow" {
  cluster_id = digitalocean_database_cluster.postgres.id
  name       = "dueflow"
}

resource "digitalocean_database_firewall" "postgres" {
  cluster_id = digitalocean_database_cluster.postgres.id
  rule {
    type  = "k8s"
    value = digitalocean_kubernetes_cluster.this.id
  }
}

# --- Kafka (managed; SASL/SCRAM over TLS with the cluster's own CA) --------------------------------------
resource "digitalocean_database_cluster" "kafka" {
  name                 = "${var.name}-kafka"
  engine               = "kafka"
  version              = "3.8"
  size                 = var.kafka_size
  region               = var.region
  node_count           = 3
  private_network_uuid = digitalocean_vpc.this.id
}

resource "digitalocean_database_kafka_topic" "topics" {
  for_each           = toset(local.topics)
  cluster_id         = digitalocean_database_cluster.kafka.id
  name               = each.value
  partition_count    = 6
  replication_factor = 3
}

resource "digitalocean_database_user" "kafka" {
  cluster_id = digitalocean_database_cluster.kafka.id
  name       = "dueflow"
  settings {
    acl {
      topic      = "*"
      permission = "admin"
    }
  }
}

resource "digitalocean_database_firewall" "kafka" {
  cluster_id = digitalocean_database_cluster.kafka.id
  rule {
    type  = "k8s"
    value = digitalocean_kubernetes_cluster.this.id
  }
}

data "digitalocean_database_ca" "kafka" {
  cluster_id = digitalocean_database_cluster.kafka.id
}
