{{/*
The pod of every Likes daemon (the edge and the four workers), under a workload's `template:`:
  {{- include "likes.pod" (dict "root" $ "component" "<name>" "port" <port> "needs" (list "nats" …)) | nindent 4 }}
Optional: "terminationGracePeriodSeconds" (the time a stopping pod has), "preStopSeconds" (a preStop sleep
while the pod keeps serving, so endpoints drain first). Hardened from the component's values, which the
schema pins: non-root, read-only root (a writable /tmp), no privilege, no service account token.
*/}}
{{- define "likes.pod" -}}
{{- $root := .root -}}
{{- $ctx := dict "root" $root "component" .component -}}
{{- $v := index $root.Values .component -}}
metadata:
  labels:
    {{- include "likes.labels" $ctx | nindent 4 }}
  annotations:
    checksum/config: {{ include "likes.configChecksum" $root }}
spec:
  serviceAccountName: {{ include "likes.serviceAccountName" $root }}
  automountServiceAccountToken: false
  {{- with .terminationGracePeriodSeconds }}
  terminationGracePeriodSeconds: {{ . }}
  {{- end }}
  {{- with $root.Values.image.pullSecrets }}
  imagePullSecrets:
    {{- range . }}
    - name: {{ . }}
    {{- end }}
  {{- end }}
  securityContext:
    {{- toYaml $v.podSecurityContext | nindent 4 }}
  {{- include "likes.scheduling" $ctx | nindent 2 }}
  containers:
    - name: {{ .component }}
      image: {{ include "likes.image" $ctx }}
      imagePullPolicy: {{ $v.image.pullPolicy }}
      ports:
        - name: http
          containerPort: {{ .port }}
          protocol: TCP
      envFrom:
        - configMapRef:
            name: {{ include "likes.fullname" $root }}-config
      env:
        # Command-line and unprefixed variables win over appsettings.json's loopback Urls.
        - name: URLS
          value: "http://+:{{ .port }}"
        {{- include "likes.secretEnv" (dict "root" $root "needs" .needs "component" .component) | nindent 8 }}
        {{- include "likes.extraEnv" $ctx | nindent 8 }}
      {{- with .preStopSeconds }}
      lifecycle:
        preStop:
          sleep:
            seconds: {{ . }}
      {{- end }}
      startupProbe:
        httpGet:
          path: /healthz/live
          port: http
        {{- toYaml $v.probes.startup | nindent 8 }}
      livenessProbe:
        httpGet:
          path: /healthz/live
          port: http
        {{- toYaml $v.probes.liveness | nindent 8 }}
      readinessProbe:
        httpGet:
          path: /healthz/ready
          port: http
        {{- toYaml $v.probes.readiness | nindent 8 }}
      resources:
        {{- toYaml $v.resources | nindent 8 }}
      securityContext:
        {{- toYaml $v.securityContext | nindent 8 }}
      volumeMounts:
        - name: tmp
          mountPath: /tmp
  volumes:
    # The root filesystem is read-only; .NET needs a writable /tmp.
    - name: tmp
      emptyDir:
        sizeLimit: 64Mi
{{- end }}
