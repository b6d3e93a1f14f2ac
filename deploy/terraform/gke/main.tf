# Google Cloud: a regional GKE cluster (VPC-native, Workload Identity) with an autoscaled worker pool,
# Cloud SQL for PostgreSQL on a private IP, and Managed Service for Apache Kafka on the same VPC, then the
# add-ons module. Needs the APIs container, sqladmin, servicenetworking and managedkafka enabled.

provider "google" {
  project = var.project
  region  = var.region
}

locals {
  topics = ["task-events", "reminders", "task-updates", "task-events-dlq", "reminders-dlq", "task-updates-dlq"]
}

resource "google_compute_network" "this" {
  name                    = "${var.name}-vpc"
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "nodes" {
  name          = "${var.name}-nodes"
  network       = google_compute_network.this.id
  region        = var.region
  ip_cidr_range = "10.10.0.0/20"
  secondary_ip_range {
    range_name    = "pods"
    ip_cidr_range = "10.20.0.0/14"
  }
  secondary_ip_range {
    range_name    = "services"
    ip_cidr_range = "10.24.0.0/20"
  }
  private_ip_google_access = true
}

resource "google_container_cluster" "this" {
  name                     = var.name
  location                 = var.region
  network                  = google_compute_network.this.id
  subnetwork               = google_compute_subnetwork.nodes.id
  remove_default_node_pool = true
  initial_node_count       = 1
  deletion_protection      = var.deletion_protection

  ip_allocation_policy {
    cluster_secondary_range_name  = "pods"
    services_secondary_range_name = "services"
  }
  release_channel {
    channel = "REGULAR"
  }
  workload_identity_config {
    workload_pool = "${var.project}.svc.id.goog"
  }
}

resource "google_container_node_pool" "workers" {
  name     = "${var.name}-workers"
  cluster  = google_container_cluster.this.id
  location = var.region

  autoscaling {
    min_node_count = var.node_count.min
    max_node_count = var.node_count.max
  }
  # Node upgrades add a node before draining one: pods move without capacity loss.
  upgrade_settings {
    max_surge       = 1
    max_unavailable = 0
  }
  node_config {
    machine_type = var.machine_type
    oauth_scopes = ["https://www.googleapis.com/auth/cloud-platform"]
    labels       = { workload = "dueflow" }
    workload_metadata_config {
      mode = "GKE_METADATA"
    }
  }
}

# --- Cloud SQL for PostgreSQL, private IP through service networking ---------------------------------------
resource "google_compute_global_address" "private_services" {
  name          = "${var.name}-private-services"
  purpose       = "VPC_PEERING"
  address_type  = "INTERNAL"
  prefix_length = 16
  network       = google_compute_network.this.id
}

resource "google_service_networking_connection" "private_services" {
  network                 = google_compute_network.this.id
  service                 = "servicenetworking.googleapis.com"
  reserved_peering_ranges = [google_compute_global_address.private_services.name]
}

resource "google_sql_database_instance" "postgres" {
  name                = "${var.name}-pg"
  database_version    = "POSTGRES_16"
  region              = var.region
  deletion_protection = var.deletion_protection

  settings {
    tier              = var.postgres_tier
    edition           = "ENTERPRISE"
    availability_type = "REGIONAL"
    ip_configuration {
      ipv4_enabled    = false
      private_network = google_compute_network.this.id
      ssl_mode        = "ENCRYPTED_ONLY"
    }
    backup_configuration {
      enabled                        = true
      point_in_time_recovery_enabled = true
    }
  }

  depends_on = [google_service_networking_connection.private_services]
}

resource "google_sql_database" "dueflow" {
  name     = "dueflow"
  instance = google_sql_database_instance.postgres.name
}

resource "random_password" "postgres" {
  length  = 32
  special = false
}

resource "google_sql_user" "dueflow" {
  name     = "dueflow"
  instance = google_sql_database_instance.postgres.name
  password = random_password.postgres.result
}

# --- Managed Service for Apache Kafka: SASL/PLAIN over TLS with a service account key ------------------------
resource "google_managed_kafka_cluster" "this" {
  cluster_id = var.name
  location   = var.region
  capacity_config {
    vcpu_count   = 3
    memory_bytes = 3221225472
  }
  gcp_config {
    access_config {
      network_configs {
        subnet = google_compute_subnetwork.nodes.id
      }
    }
  }
}

resource "google_managed_kafka_topic" "topics" {
  for_each           = toset(local.topics)
  topic_id           = each.value
  cluster            = google_managed_kafka_cluster.this.cluster_id
  location           = var.region
  partition_count    = 6
  replication_factor = 3
}

resource "google_service_account" "kafka_client" {
  account_id   = "${var.name}-kafka"
  display_name = "Dueflow sidecars (Kafka client)"
}

resource "google_project_iam_member" "kafka_client" {
  project = var.project
  role    = "roles/managedkafka.client"
  member  = "serviceAccount:${google_service_account.kafka_client.email}"
}

resource "google_service_account_key" "kafka_client" {
  service_account_id = google_service_account.kafka_client.name
}
