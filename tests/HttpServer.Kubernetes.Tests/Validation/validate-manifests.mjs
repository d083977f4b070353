// Offline checks of rendered manifests (kubectl kustomize output), run by ManifestValidationTests:
//   node validate-manifests.mjs <node_modules dir> <rendered.yaml> [<CRD models node_modules dir>]
// Prints one JSON object: { objects, schemaErrors, policyErrors }; exit 0 when it could check.
// - schema: kubernetes-models' generated validators (enums, required fields, types) for every object; custom resources
//   (PodMonitor, PrometheusRule, Gateway, HTTPRoute, Istio's) with the @kubernetes-models packages in crdPackages from the
//   third argument (needs Node >= 22)
// - policy: @monokle/validation with Pod Security "restricted" (PSS201-206) and resource rules (KBP002-005)
//   enabled; the plugins that download (kubernetes-schema, open-policy-agent) are off.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [modulesDir, renderedPath, crdModulesDir] = process.argv.slice(2);
const require = createRequire(join(resolve(modulesDir), 'package.json'));
// The API groups of CustomResourceDefinitions and the npm package with their models.
const crdPackages = {
  'monitoring.coreos.com': '@kubernetes-models/prometheus-operator',
  'gateway.networking.k8s.io': '@kubernetes-models/gateway-api',
  'security.istio.io': '@kubernetes-models/istio',
  'telemetry.istio.io': '@kubernetes-models/istio',
};
const YAML = require('yaml');
const text = readFileSync(renderedPath, 'utf8');
const documents = YAML.parseAllDocuments(text).map(d => d.toJS()).filter(Boolean);

const schemaErrors = [];
for (const object of documents) {
  const where = `${object.kind}/${object.metadata?.name}`;
  const group = object.apiVersion.includes('/') ? object.apiVersion : `v1`;
  try {
    const crdPackage = crdPackages[group.split('/')[0]];
    if (crdPackage && !crdModulesDir) throw new Error(`a custom resource, and no CRD models were given`);
    // The CRD packages are ES modules only: imported by file.
    const module = crdPackage
      ? await import(pathToFileURL(join(resolve(crdModulesDir), crdPackage, group, `${object.kind}.js`)).href)
      : require(`kubernetes-models/${group}/${object.kind}`);
    const Model = module[object.kind];
    if (!Model) throw new Error(`no model for ${object.apiVersion} ${object.kind}`);
    new Model(object).validate();
  } catch (error) {
    schemaErrors.push(`${where}: ${error.message}`);
  }
}

const monokle = await import(pathToFileURL(require.resolve('@monokle/validation')).href);
const validator = monokle.createDefaultMonokleValidator();
const enabled = ['PSS201', 'PSS202', 'PSS203', 'PSS204', 'PSS205', 'PSS206', 'KBP002', 'KBP003', 'KBP004', 'KBP005'];
await validator.preload({
  plugins: {
    'pod-security-standards': true,
    practices: true,
    'resource-links': true,
    'yaml-syntax': true,
    'kubernetes-schema': false,
    'open-policy-agent': false,
  },
  rules: {
    ...Object.fromEntries(enabled.map(id => [id, 'err'])),
    // These want uid/gid > 10000; the image runs as 1654, the official .NET images' non-root `app` user.
    KBP104: false,
    KBP105: false,
  },
});
const resources = documents.map((content, index) => ({
  id: `${content.kind}-${content.metadata?.name}-${index}`,
  fileId: 'rendered',
  filePath: 'rendered.yaml',
  fileOffset: 0,
  name: content.metadata?.name,
  apiVersion: content.apiVersion,
  kind: content.kind,
  namespace: content.metadata?.namespace,
  content,
  text: YAML.stringify(content),
}));
const response = await validator.validate({ resources });
const policyErrors = [];
for (const run of response.runs) {
  for (const result of run.results) {
    const location = result.locations?.[1];
    const resource = location?.physicalLocation?.artifactLocation?.uri ?? '?';
    const path = location?.logicalLocations?.[1]?.fullyQualifiedName ?? '';
    policyErrors.push(`${result.ruleId} (${result.level}) ${resource} ${path}: ${result.message?.text}`);
  }
}
console.log(JSON.stringify({ objects: documents.length, schemaErrors, policyErrors }, null, 2));
