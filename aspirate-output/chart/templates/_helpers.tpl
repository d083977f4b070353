# Generated from the AppHost's application model (HttpServer.AppHost/Kubernetes): do not edit; regenerate instead.
{{- define "httpserver.chart" -}}
{{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* What a pod needs between deletion and exit: preStop, drain, in-flight requests, a margin. */}}
{{- define "httpserver.neededSeconds" -}}
{{- add .preStopSeconds .drainDelaySeconds .shutdownTimeoutSeconds .marginSeconds -}}
{{- end -}}

{{/* Fails the render when a pod could be killed before it drained: the kubelet's SIGKILL comes at the grace period. */}}
{{- define "httpserver.checkGracePeriod" -}}
{{- $needed := include "httpserver.neededSeconds" . | int -}}
{{- if and (ne (int .terminationGracePeriodSeconds) 0) (lt (int .terminationGracePeriodSeconds) (int $needed)) -}}
{{- fail (printf "lifecycle.terminationGracePeriodSeconds (%d) must be 0 (computed) or at least preStopSeconds + drainDelaySeconds + shutdownTimeoutSeconds + marginSeconds (%d)" (int .terminationGracePeriodSeconds) (int $needed)) -}}
{{- end -}}
{{- end -}}

{{/* The grace period: 0 means the sum the check asks for, as in the AppHost's settings. */}}
{{- define "httpserver.gracePeriod" -}}
{{- if eq (int .terminationGracePeriodSeconds) 0 -}}
{{- include "httpserver.neededSeconds" . -}}
{{- else -}}
{{- int .terminationGracePeriodSeconds -}}
{{- end -}}
{{- end -}}
