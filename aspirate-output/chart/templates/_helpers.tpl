# Generated from the AppHost's application model (HttpServer.AppHost/Kubernetes): do not edit; regenerate instead.
{{- define "httpserver.chart" -}}
{{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Fails the render when a pod could be killed before it drained: the kubelet's SIGKILL comes at the grace period. */}}
{{- define "httpserver.checkGracePeriod" -}}
{{- $l := .Values.lifecycle -}}
{{- $needed := add $l.preStopSeconds $l.drainDelaySeconds $l.shutdownTimeoutSeconds $l.marginSeconds -}}
{{- if le (int $l.terminationGracePeriodSeconds) (int $needed) -}}
{{- fail (printf "lifecycle.terminationGracePeriodSeconds (%d) must exceed preStopSeconds + drainDelaySeconds + shutdownTimeoutSeconds + marginSeconds (%d)" (int $l.terminationGracePeriodSeconds) (int $needed)) -}}
{{- end -}}
{{- end -}}
