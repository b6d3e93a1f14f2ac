{{- define "infra.labels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: dueflow
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* The data volume of one service; call with (dict "root" $ "name" "postgres"). */}}
{{- define "infra.dataVolume" -}}
{{- $p := .root.Values.persistence -}}
{{- if eq $p.type "hostPath" }}
- name: data
  hostPath:
    path: {{ printf "%s/%s" $p.hostPath .name }}
    type: DirectoryOrCreate
{{- else if eq $p.type "emptyDir" }}
- name: data
  emptyDir: {}
{{- end }}
{{- end -}}

{{- define "infra.volumeClaim" -}}
{{- $p := .Values.persistence -}}
{{- if eq $p.type "pvc" }}
volumeClaimTemplates:
  - metadata:
      name: data
    spec:
      accessModes: [ReadWriteOnce]
      {{- with $p.storageClassName }}
      storageClassName: {{ . }}
      {{- end }}
      resources:
        requests:
          storage: {{ $p.size }}
{{- end }}
{{- end -}}
