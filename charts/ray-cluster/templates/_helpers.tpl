{{/* Names, labels and the pieces head and workers share. */}}

{{- define "ray-cluster.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "ray-cluster.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "ray-cluster.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ray-cluster.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "ray-cluster.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "ray-cluster.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "ray-cluster.image" -}}
{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}
{{- end -}}

{{- define "ray-cluster.tokenSecret" -}}
{{ .Values.clusterToken.existingSecret | default (printf "%s-token" (include "ray-cluster.fullname" .)) }}
{{- end -}}

{{- /* nodeSelector of a pod: the platform's os and arch, then the role's own entries (which win).
       Parameters: root (the top context), nodeSelector (the role's map). */ -}}
{{- define "ray-cluster.nodeSelector" -}}
{{- $selector := dict -}}
{{- with .root.Values.platform -}}
{{- $parts := splitList "/" . -}}
{{- $_ := set $selector "kubernetes.io/os" (index $parts 0) -}}
{{- if gt (len $parts) 1 -}}
{{- $_ := set $selector "kubernetes.io/arch" (index $parts 1) -}}
{{- end -}}
{{- end -}}
{{- with merge (deepCopy .nodeSelector) $selector -}}
{{- toYaml . -}}
{{- end -}}
{{- end -}}

{{- /* Environment of a rayd container: POD_IP (for --node-ip-address), then the common and the
       role's variables. Parameters: root, env (the role's list). */ -}}
{{- define "ray-cluster.env" -}}
- name: POD_IP
  valueFrom:
    fieldRef:
      fieldPath: status.podIP
{{- with concat .root.Values.common.env .env }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- /* rayd's flags both roles share. Parameters: root, role (the role's values). */ -}}
{{- define "ray-cluster.commonArgs" -}}
- --node-ip-address=$(POD_IP)
- --token-file=/etc/rayd/token/token
- --data-dir=/data
- {{ printf "--object-store-memory=%v" .role.objectStoreMemory | quote }}
{{- /* 0 is a value here: a head that runs no work. */}}
{{- if or .role.numCpus (eq (toString .role.numCpus) "0") }}
- {{ printf "--num-cpus=%v" .role.numCpus | quote }}
{{- end }}
{{- with .role.memory }}
- {{ printf "--memory=%v" . | quote }}
{{- end }}
{{- with .role.extraArgs }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- /* The volumes both roles share: the token, /dev/shm sized to the object store, the data
       directory. Parameters: root, role. */ -}}
{{- define "ray-cluster.volumes" -}}
- name: token
  secret:
    secretName: {{ include "ray-cluster.tokenSecret" .root }}
    items:
      - key: {{ .root.Values.clusterToken.secretKey }}
        path: token
# The object store lives in shared memory: /dev/shm is memory-backed and sized to hold it.
- name: shm
  emptyDir:
    medium: Memory
    sizeLimit: {{ .role.objectStoreMemory }}
- name: data
  emptyDir:
    {{- with .role.dataDirSizeLimit }}
    sizeLimit: {{ . }}
    {{- else }} {}
    {{- end }}
{{- end -}}

{{- define "ray-cluster.volumeMounts" -}}
- name: token
  mountPath: /etc/rayd/token
  readOnly: true
- name: shm
  mountPath: /dev/shm
- name: data
  mountPath: /data
{{- end -}}
