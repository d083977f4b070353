# Generated from the AppHost's application model (HttpServer.AppHost/Kubernetes): do not edit; regenerate instead.
{{- define "httpserver.chart" -}}
{{ .Chart.Name }}-{{ .Chart.Version | replace "+" "_" }}
{{- end -}}

{{/* Fails the render when a pod could be killed before it drained: the kubelet's SIGKILL comes at the grace period. */}}
{{- define "httpserver.checkGracePeriod" -}}
{{- $needed := add .preStopSeconds .drainDelaySeconds .shutdownTimeoutSeconds .marginSeconds -}}
{{- if lt (int .terminationGracePeriodSeconds) (int $needed) -}}
{{- fail (printf "lifecycle.terminationGracePeriodSeconds (%d) must be at least preStopSeconds + drainDelaySeconds + shutdownTimeoutSeconds + marginSeconds (%d)" (int .terminationGracePeriodSeconds) (int $needed)) -}}
{{- end -}}
{{- end -}}
