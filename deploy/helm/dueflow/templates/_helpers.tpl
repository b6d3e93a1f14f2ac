{{/* The roles, in a fixed order; each is a Deployment with its own Dapr app id (= the role name). */}}
{{- define "dueflow.roles" -}}api web recurring notification audit realtime{{- end -}}

{{- define "dueflow.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Release-scoped name; role resources append "-<role>" (the longest role adds 13 characters). */}}
{{- define "dueflow.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "dueflow.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ include "dueflow.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: dueflow
{{- end -}}

{{/* Selector labels of one role; call with (dict "root" $ "role" "api"). */}}
{{- define "dueflow.selectorLabels" -}}
app.kubernetes.io/name: {{ include "dueflow.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .role }}
{{- end -}}

{{- define "dueflow.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "dueflow.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "dueflow.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The URL users reach Dueflow at (PUBLIC_URL). */}}
{{- define "dueflow.publicUrl" -}}
{{- if .Values.publicUrl -}}
{{- .Values.publicUrl | trimSuffix "/" -}}
{{- else if .Values.ingress.enabled -}}
{{- printf "%s://%s" (ternary "https" "http" .Values.ingress.tls.enabled) .Values.ingress.host -}}
{{- else -}}
{{- printf "http://localhost:%d" (int .Values.port) -}}
{{- end -}}
{{- end -}}

{{/* Replicas an HPA keeps at least, or the fixed count; call with (dict "root" $ "role" "api"). */}}
{{- define "dueflow.minReplicas" -}}
{{- $r := index .root.Values.roles .role -}}
{{- if and $r.autoscaling $r.autoscaling.enabled -}}
{{- $r.autoscaling.minReplicas -}}
{{- else -}}
{{- $r.replicas -}}
{{- end -}}
{{- end -}}

{{/* The container securityContext of the app and the migration Job. */}}
{{- define "dueflow.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: {{ .Values.readOnlyRootFilesystem }}
runAsNonRoot: true
capabilities:
  drop: [ALL]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* One Kafka pub/sub component's connection metadata (brokers, auth, TLS). */}}
{{- define "dueflow.kafkaConnection" -}}
- name: brokers
  value: {{ join "," .Values.kafka.brokers | quote }}
- name: authType
  value: {{ .Values.kafka.auth.type | quote }}
{{- if eq .Values.kafka.auth.type "password" }}
- name: saslUsername
  secretKeyRef:
    name: {{ .Values.kafka.auth.secretName }}
    key: {{ .Values.kafka.auth.usernameKey }}
- name: saslPassword
  secretKeyRef:
    name: {{ .Values.kafka.auth.secretName }}
    key: {{ .Values.kafka.auth.passwordKey }}
- name: saslMechanism
  value: {{ .Values.kafka.auth.saslMechanism | quote }}
- name: disableTls
  value: {{ (not .Values.kafka.tls.enabled) | toString | quote }}
{{- if and .Values.kafka.tls.enabled .Values.kafka.tls.caSecretName }}
- name: caCert
  secretKeyRef:
    name: {{ .Values.kafka.tls.caSecretName }}
    key: {{ .Values.kafka.tls.caKey }}
{{- end }}
{{- end }}
{{- end -}}
