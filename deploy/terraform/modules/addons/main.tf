# Everything Dueflow needs inside a Kubernetes cluster, on any cloud: the Dapr control plane, a broker
# when the cloud's managed Kafka is not used, the secrets, the monitoring stack, and the Dueflow chart.
# The helm and kubernetes providers are configured by the calling (per-cloud) module.

locals {
  in_cluster_kafka = var.kafka.mode == "in-cluster"
  kafka_brokers    = local.in_cluster_kafka ? ["redpanda.kafka.svc.cluster.local:9093"] : var.kafka.brokers
  kafka_sasl       = !local.in_cluster_kafka && var.kafka.username != ""
  monitoring_crds  = var.monitoring.install_stack
  secret_names = {
    app        = "dueflow-secrets"
    app_token  = "dueflow-app-api-token"
    dapr_token = "dueflow-dapr-api-token"
    kafka      = "dueflow-kafka"
    kafka_ca   = "dueflow-kafka-ca"
  }
}

resource "kubernetes_namespace_v1" "dueflow" {
  metadata {
    name = var.namespace
    labels = {
      "app.kubernetes.io/part-of" = "dueflow"
    }
  }
}

# --- Dapr control plane (operator, sidecar injector, sentry, placement, scheduler) -------------------------
resource "helm_release" "dapr" {
  count            = var.dapr.install ? 1 : 0
  name             = "dapr"
  namespace        = "dapr-system"
  create_namespace = true
  repository       = var.dapr.repository == "" ? null : var.dapr.repository
  chart            = var.dapr.chart
  version          = var.dapr.repository == "" ? null : var.dapr.version
  values           = var.dapr.values
  wait             = true
  timeout          = 900
}

# --- Kafka in the cluster (only without a managed one): single-node Redpanda, Kafka API on 9093 -------------
resource "helm_release" "redpanda" {
  count            = local.in_cluster_kafka ? 1 : 0
  name             = "redpanda"
  namespace        = "kafka"
  create_namespace = true
  repository       = "https://charts.redpanda.com"
  chart            = "redpanda"
  wait             = true
  timeout          = 900
  values = [yamlencode({
    statefulset = { replicas = 1 }
    tls         = { enabled = false }
    external    = { enabled = false }
    console     = { enabled = false }
    resources = {
      cpu    = { cores = 1 }
      memory = { container = { max = "2Gi" } }
    }
    storage = { persistentVolume = { size = "20Gi" } }
    config = {
      cluster = {
        auto_create_topics_enabled = true
        default_topic_partitions   = 3
      }
    }
  })]
}

# --- Secrets (the chart only names them) --------------------------------------------------------------------
resource "random_password" "auth_secret" {
  length  = 48
  special = false
}

resource "random_password" "app_api_token" {
  length  = 40
  special = false
}

resource "random_password" "dapr_api_token" {
  length  = 40
  special = false
}

resource "kubernetes_secret_v1" "app" {
  metadata {
    name      = local.secret_names.app
    namespace = kubernetes_namespace_v1.dueflow.metadata[0].name
  }
  data = merge(
    {
      BETTER_AUTH_SECRET = random_password.auth_secret.result
      VAPID_PUBLIC_KEY   = var.vapid_keys.public_key
      VAPID_PRIVATE_KEY  = var.vapid_keys.private_key
      DATABASE_URL       = var.database_url
    },
    var.llm_api_key == "" ? {} : { LLM_API_KEY = var.llm_api_key },
  )
}

resource "kubernetes_secret_v1" "app_api_token" {
  metadata {
    name      = local.secret_names.app_token
    namespace = kubernetes_namespace_v1.dueflow.metadata[0].name
  }
  data = { token = random_password.app_api_token.result }
}

resource "kubernetes_secret_v1" "dapr_api_token" {
  metadata {
    name      = local.secret_names.dapr_token
    namespace = kubernetes_namespace_v1.dueflow.metadata[0].name
  }
  data = { token = random_password.dapr_api_token.result }
}

resource "kubernetes_secret_v1" "kafka" {
  count = local.kafka_sasl ? 1 : 0
  metadata {
    name      = local.secret_names.kafka
    namespace = kubernetes_namespace_v1.dueflow.metadata[0].name
  }
  data = {
    username = var.kafka.username
    password = var.kafka_password
  }
}

resource "kubernetes_secret_v1" "kafka_ca" {
  count = local.kafka_sasl && var.kafka.ca_certificate != "" ? 1 : 0
  metadata {
    name      = local.secret_names.kafka_ca
    namespace = kubernetes_namespace_v1.dueflow.metadata[0].name
  }
  data = { "ca.crt" = var.kafka.ca_certificate }
}

# --- Monitoring: Prometheus Operator, Alertmanager, Grafana (dashboards from labelled ConfigMaps) ----------
resource "helm_release" "monitoring" {
  count            = var.monitoring.install_stack ? 1 : 0
  name             = "monitoring"
  namespace        = "monitoring"
  create_namespace = true
  repository       = "https://prometheus-community.github.io/helm-charts"
  chart            = "kube-prometheus-stack"
  version          = var.monitoring.stack_version
  wait             = true
  timeout          = 900
  values = [yamlencode({
    prometheus = {
      prometheusSpec = {
        # Pick up Dueflow's ServiceMonitor, PodMonitor and PrometheusRule from any namespace.
        serviceMonitorSelectorNilUsesHelmValues = false
        podMonitorSelectorNilUsesHelmValues     = false
        ruleSelectorNilUsesHelmValues           = false
        retention                               = "15d"
      }
    }
    grafana = {
      sidecar = {
        dashboards = {
          enabled          = true
          label            = "grafana_dashboard"
          labelValue       = "1"
          searchNamespace  = "ALL"
          folderAnnotation = "grafana_folder"
          provider         = { foldersFromFilesStructure = true }
        }
      }
    }
  })]
}

# --- Dueflow ---------------------------------------------------------------------------------------------
resource "helm_release" "dueflow" {
  name      = "dueflow"
  namespace = kubernetes_namespace_v1.dueflow.metadata[0].name
  chart     = var.dueflow_chart.chart
  version   = var.dueflow_chart.version
  # Rolling updates behind readiness probes; a failed upgrade is rolled back.
  atomic  = true
  wait    = true
  timeout = 900
  values = concat([yamlencode({
    image = {
      repository = var.image.repository
      tag        = var.image.tag
      pullPolicy = var.image.pull_policy
    }
    secrets = {
      app          = local.secret_names.app
      appApiToken  = local.secret_names.app_token
      daprApiToken = local.secret_names.dapr_token
    }
    llm = { baseUrl = var.llm.base_url, model = var.llm.model }
    roles = {
      api      = { replicas = var.replicas }
      web      = { replicas = var.replicas }
      realtime = { replicas = var.replicas }
    }
    kafka = {
      brokers = local.kafka_brokers
      # Secret name and mechanism matter only with type "password".
      auth = {
        type          = local.kafka_sasl ? "password" : "none"
        secretName    = local.secret_names.kafka
        saslMechanism = var.kafka.sasl_mechanism
      }
      tls = {
        enabled      = local.kafka_sasl
        caSecretName = local.kafka_sasl && var.kafka.ca_certificate != "" ? local.secret_names.kafka_ca : ""
      }
    }
    ingress = {
      enabled   = var.public_host != ""
      className = var.ingress_class
      # The chart's placeholder when there is no ingress.
      host = var.public_host == "" ? "dueflow.example.com" : var.public_host
      annotations = {
        # Websockets stay open for as long as a tab is.
        "nginx.ingress.kubernetes.io/proxy-read-timeout" = "3600"
        "nginx.ingress.kubernetes.io/proxy-send-timeout" = "3600"
      }
      tls = { enabled = var.tls_secret_name != "", secretName = var.tls_secret_name == "" ? "dueflow-tls" : var.tls_secret_name }
    }
    dapr = {
      tracing = {
        otlpEndpoint = var.monitoring.otlp_grpc_endpoint
        otlpProtocol = "grpc"
        otlpInsecure = true
      }
    }
    monitoring = {
      serviceMonitor = { enabled = local.monitoring_crds }
      podMonitor     = { enabled = local.monitoring_crds }
      prometheusRule = { enabled = local.monitoring_crds }
      dashboards     = { enabled = local.monitoring_crds }
      tracing        = { otlpHttpEndpoint = var.monitoring.otlp_http_endpoint }
    }
  })], var.extra_values)

  depends_on = [
    helm_release.dapr,
    helm_release.redpanda,
    helm_release.monitoring,
    kubernetes_secret_v1.app,
    kubernetes_secret_v1.app_api_token,
    kubernetes_secret_v1.dapr_api_token,
    kubernetes_secret_v1.kafka,
    kubernetes_secret_v1.kafka_ca,
  ]
}
