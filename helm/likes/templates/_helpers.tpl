{{/*
Names, labels and the pieces every Likes pod shares. Helpers that need the component take
(dict "root" $ "component" "<name>").
*/}}

{{- define "likes.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "likes.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* <fullname>-<component>, e.g. likes-edge. */}}
{{- define "likes.componentName" -}}
{{- printf "%s-%s" (include "likes.fullname" .root) .component | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "likes.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Selector labels of one component. Immutable on Deployments and StatefulSets: never add to them.
*/}}
{{- define "likes.selectorLabels" -}}
app.kubernetes.io/name: {{ include "likes.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{/*
All labels of one component's objects. part-of is the scrape job name the alerts select
(job="likes"): it does not change with the release or nameOverride.
*/}}
{{- define "likes.labels" -}}
helm.sh/chart: {{ include "likes.chart" .root }}
{{ include "likes.selectorLabels" . }}
app.kubernetes.io/part-of: likes
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- end }}

{{/* Image reference of one component: [registry/]repository:tag (tag defaults to appVersion). */}}
{{- define "likes.image" -}}
{{- $values := index .root.Values .component }}
{{- $tag := default .root.Chart.AppVersion $values.image.tag }}
{{- if .root.Values.image.registry }}
{{- printf "%s/%s:%s" .root.Values.image.registry $values.image.repository $tag }}
{{- else }}
{{- printf "%s:%s" $values.image.repository $tag }}
{{- end }}
{{- end }}

{{- define "likes.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "likes.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The LIKES_* configuration every process reads, as NAME: "value" lines: the ConfigMap's data, and
the migrations hook's env (a pre-install hook runs before the ConfigMap exists). No credentials:
those come from existingSecret (likes.secretEnv). LIKES_POSTGRES has no password; the daemons add
LIKES_POSTGRES_PASSWORD (and LIKES_REDIS_PASSWORD) to the connection they build.
*/}}
{{- define "likes.configData" -}}
{{- $svc := .Values.externalServices -}}
{{- $redis := $svc.redis.address -}}
{{- if $svc.redis.options }}{{ $redis = printf "%s,%s" $redis $svc.redis.options }}{{ end -}}
{{- $pg := printf "Host=%s;Port=%v;Database=%s;Username=%s" $svc.postgres.host $svc.postgres.port $svc.postgres.database $svc.postgres.username -}}
{{- if $svc.postgres.options }}{{ $pg = printf "%s;%s" $pg ($svc.postgres.options | trimPrefix ";") }}{{ end -}}
ASPNETCORE_ENVIRONMENT: "Production"
LIKES_NATS_URL: {{ $svc.nats.url | quote }}
LIKES_STREAM: {{ .Values.stream.name | quote }}
LIKES_PARTITIONS: {{ .Values.partitions | quote }}
LIKES_STREAM_REPLICAS: {{ .Values.stream.replicas | quote }}
LIKES_REDIS: {{ $redis | quote }}
LIKES_REDIS_KEY_PREFIX: {{ $svc.redis.keyPrefix | quote }}
LIKES_POSTGRES: {{ $pg | quote }}
LIKES_TIMELINE_SIZE: {{ .Values.timelineSize | quote }}
LIKES_WRITE_RATE_PER_USER: {{ .Values.writeRatePerUser | quote }}
{{- with .Values.jwt.issuer }}
LIKES_JWT_ISSUER: {{ . | quote }}
{{- end }}
{{- with .Values.jwt.audience }}
LIKES_JWT_AUDIENCE: {{ . | quote }}
{{- end }}
{{- with .Values.otel.endpoint }}
OTEL_EXPORTER_OTLP_ENDPOINT: {{ . | quote }}
{{- end }}
{{- end }}

{{/*
Credentials as env entries, each a secretKeyRef into an existing Secret: never a value.
Takes (dict "root" $ "needs" (list "jwt" "nats" "redis" "postgres") ["component" "<name>"]). A component
with credentials.existingSecret logs in as its own users (least privilege, docs/security.md): user and
password of every server it needs come from that Secret; otherwise from the shared externalServices ones.
*/}}
{{- define "likes.secretEnv" -}}
{{- $svc := .root.Values.externalServices -}}
{{- $own := "" -}}
{{- if .component }}{{ $own = (index .root.Values .component).credentials.existingSecret }}{{ end -}}
{{- if has "jwt" .needs }}
- name: LIKES_JWT_KEY
  valueFrom:
    secretKeyRef:
      name: {{ required "jwt.existingSecret is required: the edge does not start without a signing key" .root.Values.jwt.existingSecret }}
      key: {{ .root.Values.jwt.keyKey }}
- name: LIKES_JWT_PREVIOUS_KEY
  valueFrom:
    secretKeyRef:
      name: {{ .root.Values.jwt.existingSecret }}
      key: {{ .root.Values.jwt.previousKeyKey }}
      optional: true
{{- end }}
{{- if and (has "nats" .needs) $own }}
- name: LIKES_NATS_USER
  valueFrom:
    secretKeyRef:
      name: {{ $own }}
      key: nats-user
- name: LIKES_NATS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $own }}
      key: nats-password
{{- else if and (has "nats" .needs) $svc.nats.existingSecret }}
- name: LIKES_NATS_USER
  valueFrom:
    secretKeyRef:
      name: {{ $svc.nats.existingSecret }}
      key: {{ $svc.nats.userKey }}
- name: LIKES_NATS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $svc.nats.existingSecret }}
      key: {{ $svc.nats.passwordKey }}
{{- end }}
{{- if and (has "redis" .needs) $own }}
- name: LIKES_REDIS_USER
  valueFrom:
    secretKeyRef:
      name: {{ $own }}
      key: redis-user
- name: LIKES_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $own }}
      key: redis-password
{{- else if and (has "redis" .needs) $svc.redis.existingSecret }}
- name: LIKES_REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $svc.redis.existingSecret }}
      key: {{ $svc.redis.passwordKey }}
{{- end }}
{{- if and (has "postgres" .needs) $own }}
- name: LIKES_POSTGRES_USER
  valueFrom:
    secretKeyRef:
      name: {{ $own }}
      key: postgres-user
- name: LIKES_POSTGRES_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ $own }}
      key: postgres-password
{{- else if has "postgres" .needs }}
- name: LIKES_POSTGRES_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ required "externalServices.postgres.existingSecret is required" $svc.postgres.existingSecret }}
      key: {{ $svc.postgres.passwordKey }}
{{- end }}
{{- end }}

{{/*
For the migrations hook: the password of each daemon role with its own credentials, as
LIKES_<DAEMON>_POSTGRES_PASSWORD, so that `likes-admin logins` lets that role log in with it.
*/}}
{{- define "likes.loginEnv" -}}
{{- range $component := list "edge" "persister" "reheater" "reconciler" }}
{{- with (index $.Values $component).credentials.existingSecret }}
- name: LIKES_{{ upper $component }}_POSTGRES_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ . }}
      key: postgres-password
{{- end }}
{{- end }}
{{- end }}

{{/* A component's extra non-secret env (its config block), as env entries. */}}
{{- define "likes.extraEnv" -}}
{{- range $name, $value := (index .root.Values .component).config }}
- name: {{ $name }}
  value: {{ $value | toString | quote }}
{{- end }}
{{- end }}

{{/*
nodeSelector, tolerations, affinity and topologySpreadConstraints of one component's pods. A spread
constraint without a labelSelector gets the component's selector labels.
*/}}
{{- define "likes.scheduling" -}}
{{- $scheduling := (index .root.Values .component).scheduling }}
{{- with $scheduling.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $scheduling.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $scheduling.affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $scheduling.topologySpreadConstraints }}
{{- $selector := dict "matchLabels" (include "likes.selectorLabels" $ | fromYaml) }}
topologySpreadConstraints:
  {{- range . }}
  - {{- toYaml (merge (deepCopy .) (dict "labelSelector" $selector)) | nindent 4 }}
  {{- end }}
{{- end }}
{{- end }}

{{/* Checksum of the configuration: pods restart when it changes. */}}
{{- define "likes.configChecksum" -}}
{{- include "likes.configData" . | sha256sum }}
{{- end }}
