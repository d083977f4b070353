namespace HttpServer.AppHost.Kubernetes;

/// <summary>
/// The chart's fixed text: Chart.yaml, values.yaml (defaults = aspirate-output/production/, the kustomize layer every
/// Deployment gets), the helpers with the grace-period check, and each service's Deployment.
/// </summary>
internal static class HelmChartTemplates
{
    public static string Chart(string version) => $"""
        apiVersion: v2
        name: httpserver
        description: HttpServer's services (the AppHost's model) with the production settings of aspirate-output/production/.
        type: application
        version: {version}
        appVersion: "{version}"
        """;

    public static string Values(ContainerImage image, ProductionOptions options) => $$"""
        # Defaults equal the kustomize output (aspirate-output/production/, HttpServer.AppHost/Kubernetes/ProductionOptions.cs).
        image:
          repository: {{image.Repository}}
          tag: "{{image.Tag}}"
        replicas: 2
        # Guaranteed QoS: requests == limits (docs/kubernetes.md, "Resource sizing").
        resources:
          requests: {cpu: 500m, memory: 256Mi}
          limits: {cpu: 500m, memory: 256Mi}
        probes:
          startup: {httpGet: {path: /healthz, port: http}, periodSeconds: 2, timeoutSeconds: 2, failureThreshold: 30}
          readiness: {httpGet: {path: /readyz, port: http}, periodSeconds: 5, timeoutSeconds: 2, successThreshold: 1, failureThreshold: 2}
          liveness: {httpGet: {path: /healthz, port: http}, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3}
        # terminationGracePeriodSeconds must exceed preStopSeconds + drainDelaySeconds + shutdownTimeoutSeconds + marginSeconds:
        # rendering fails otherwise (templates/_helpers.tpl).
        lifecycle:
          preStopSeconds: 5
          drainDelaySeconds: 5
          shutdownTimeoutSeconds: 20
          marginSeconds: 5
          terminationGracePeriodSeconds: 40
        ingress:
          host: {{options.IngressHost}}
          className: {{options.IngressClass}}
          tls:
            secretName: {{options.TlsSecret}}
            clusterIssuer: {{options.CertManagerClusterIssuer}}
        """;

    public const string Helpers = """
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
        """;

    // observabilityEnvironment: lines of the env list (with their conditionals), or nothing.
    public static string Deployment(ServiceDescription service, string environmentConfigMap, string image, string labels, string selector, string ports,
        string observabilityEnvironment, string version) => $$$"""
        {{- include "httpserver.checkGracePeriod" . }}
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          labels:
        {{{Indent(labels, 4)}}}
          name: {{{service.Name}}}
        spec:
          replicas: {{ .Values.replicas }}
          revisionHistoryLimit: 5
          selector:
            matchLabels:
        {{{Indent(selector, 6)}}}
          strategy:
            rollingUpdate: {maxSurge: 1, maxUnavailable: 0}
            type: RollingUpdate
          template:
            metadata:
              annotations:
                prometheus.io/path: /metrics
                prometheus.io/port: "8080"
                prometheus.io/scrape: "true"
              labels:
        {{{Indent(labels, 8)}}}
            spec:
              automountServiceAccountToken: false
              containers:
              - env:
                - {name: VERSION, value: {{{version}}} }
                - {name: APP_CONFIG_DIR, value: /config}
                - {name: Lifecycle__DrainDelaySeconds, value: {{ .Values.lifecycle.drainDelaySeconds | quote }} }
                - {name: Lifecycle__ShutdownTimeoutSeconds, value: {{ .Values.lifecycle.shutdownTimeoutSeconds | quote }} }
        {{{observabilityEnvironment}}}        envFrom:
                - configMapRef: {name: {{{environmentConfigMap}}}}
                image: {{{image}}}
                imagePullPolicy: IfNotPresent
                lifecycle:
                  preStop:
                    sleep: {seconds: {{ .Values.lifecycle.preStopSeconds }} }
                livenessProbe: {{ .Values.probes.liveness | toJson }}
                name: {{{service.Name}}}
                ports:
        {{{Indent(ports, 8)}}}
                readinessProbe: {{ .Values.probes.readiness | toJson }}
                resources: {{ .Values.resources | toJson }}
                securityContext:
                  allowPrivilegeEscalation: false
                  capabilities: {drop: [ALL]}
                  readOnlyRootFilesystem: true
                  runAsGroup: 1654
                  runAsNonRoot: true
                  runAsUser: 1654
                  seccompProfile: {type: RuntimeDefault}
                startupProbe: {{ .Values.probes.startup | toJson }}
                volumeMounts:
                - {mountPath: /config, name: settings, readOnly: true}
                - {mountPath: /tmp, name: tmp}
              enableServiceLinks: false
              securityContext: {fsGroup: 1654, runAsGroup: 1654, runAsNonRoot: true, runAsUser: 1654, seccompProfile: {type: RuntimeDefault}}
              terminationGracePeriodSeconds: {{ .Values.lifecycle.terminationGracePeriodSeconds }}
              topologySpreadConstraints:
              - labelSelector:
                  matchLabels: {app.kubernetes.io/part-of: httpserver}
                matchLabelKeys: [app.kubernetes.io/instance]
                maxSkew: 1
                topologyKey: kubernetes.io/hostname
                whenUnsatisfiable: ScheduleAnyway
              volumes:
              - emptyDir: {sizeLimit: 64Mi}
                name: tmp
              - configMap: {name: {{{ProductionObjectFactory.SettingsName(service)}}}}
                name: settings
        """;

    /// <summary>Each line of <paramref name="yaml"/> moved right by <paramref name="spaces"/>, for a block inside a template.</summary>
    internal static string Indent(string yaml, int spaces) =>
        string.Join('\n', yaml.TrimEnd('\n').Split('\n').Select(line => new string(' ', spaces) + line));
}
