// Validates chart values files against helm/likes/values.schema.json the way `helm install` would:
// each file is merged over values.yaml (maps merge, lists and scalars replace, null deletes), then
// the result is checked with a draft-07 JSON Schema validator (ajv). Each component's Kubernetes
// pieces (resources, security contexts, probe timings, scheduling) are also checked against the
// Kubernetes API schemas (kubernetes-models) inside a Pod built from them.
//
// usage: node validate-values.cjs <chart dir> <values file>...
//   values.yaml itself is validated as it is. Prints a JSON array of {file, valid, errors}; exits 0
//   when it could run (whatever the verdicts), 2 when it could not. The Node packages come from
//   `tools_install` (scripts/tools.sh), found through NODE_PATH.
'use strict';
const fs = require('fs');
const path = require('path');

let Ajv, yaml, Pod;
try {
  Ajv = require('ajv');
  yaml = require('js-yaml');
  ({ Pod } = require('kubernetes-models/v1'));
} catch (e) {
  console.error(`missing Node packages (${e.message}); run ./likes test, which installs them`);
  process.exit(2);
}

const [chartDir, ...files] = process.argv.slice(2);
if (!chartDir || files.length === 0) {
  console.error('usage: node validate-values.cjs <chart dir> <values file>...');
  process.exit(2);
}

const load = (file) => yaml.load(fs.readFileSync(file, 'utf8')) ?? {};
const isMap = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// Helm's coalescing of user values over the chart's defaults.
function merge(base, over) {
  if (!isMap(base) || !isMap(over)) return over;
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = k in out ? merge(out[k], v) : v;
  }
  return out;
}

const components = ['edge', 'aggregator', 'persister', 'reheater', 'reconciler', 'migrations'];

// A Pod as the chart's templates build it, for the Kubernetes schema check.
function podOf(name, c) {
  const probe = (path, timings) => ({ httpGet: { path, port: 'http' }, ...timings });
  const container = {
    name, image: 'image', ports: [{ name: 'http', containerPort: 8080 }],
    resources: c.resources, securityContext: c.securityContext,
    volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
  };
  if (c.probes) {
    container.startupProbe = probe('/healthz/live', c.probes.startup);
    container.livenessProbe = probe('/healthz/live', c.probes.liveness);
    container.readinessProbe = probe('/healthz/ready', c.probes.readiness);
  }
  const s = c.scheduling ?? {};
  return new Pod({
    metadata: { name },
    spec: {
      automountServiceAccountToken: false,
      securityContext: c.podSecurityContext,
      nodeSelector: s.nodeSelector, tolerations: s.tolerations, affinity: s.affinity,
      topologySpreadConstraints: (s.topologySpreadConstraints ?? []).map((t) => ({ labelSelector: { matchLabels: { app: name } }, ...t })),
      containers: [container],
      volumes: [{ name: 'tmp', emptyDir: {} }],
    },
  });
}

const schema = JSON.parse(fs.readFileSync(path.join(chartDir, 'values.schema.json'), 'utf8'));
const ajv = new Ajv({ allErrors: true, allowUnionTypes: true });
const validate = ajv.compile(schema);
const defaultsFile = path.resolve(chartDir, 'values.yaml');
const defaults = load(defaultsFile);

const results = files.map((file) => {
  const errors = [];
  let values;
  try {
    values = path.resolve(file) === defaultsFile ? defaults : merge(defaults, load(file));
  } catch (e) {
    return { file, valid: false, errors: [`cannot read: ${e.message}`] };
  }
  if (!validate(values)) {
    for (const e of validate.errors) errors.push(`schema: ${e.instancePath || '/'} ${e.message}${e.params ? ' ' + JSON.stringify(e.params) : ''}`);
  }
  for (const name of components) {
    const c = values[name];
    if (!isMap(c)) continue;
    try {
      podOf(name, c).validate();
    } catch (e) {
      errors.push(`kubernetes: ${name}: ${e.message}`);
    }
  }
  return { file, valid: errors.length === 0, errors };
});
console.log(JSON.stringify(results, null, 2));
