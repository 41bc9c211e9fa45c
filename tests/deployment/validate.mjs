// Validates the deployment files that no tool on this machine can run: every Kubernetes object against
// the Kubernetes (and Prometheus Operator) OpenAPI schemas, the kustomizations' references, the
// Deployment's safety settings, the PrometheusRule against config/prometheus/alerts.yml, the Grafana
// dashboard's structure and the Dockerfile's runtime stage. Prints each problem; exits 1 if any.
// Usage: node validate.mjs REPO_ROOT [--fix] [--rendered FILE]
//   --fix            rewrites k8s/base/prometheusrule.yaml from alerts.yml
//   --rendered FILE  validates only the objects of FILE (`kubectl kustomize` output) against the schemas
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import YAML from "yaml";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";

const root = process.argv[2];
const fix = process.argv.includes("--fix");
const problems = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);
const read = (relative) => readFileSync(join(root, relative), "utf8");
const check = (condition, where, what) => condition || problem(where, what);

const models = { ConfigMap, Deployment, Namespace, PersistentVolumeClaim, Secret, Service, PrometheusRule, ServiceMonitor };

// Validates one object against its kind's schema; false (with a problem) when it does not match.
function validate(obj, where) {
  const Model = models[obj.kind];
  if (!Model) {
    problem(where, `no schema for kind ${obj.kind}`);
    return false;
  }
  try {
    new Model(obj).validate();
    return true;
  } catch (e) {
    problem(where, `${obj.kind} ${obj.metadata?.name} does not match the schema: ${e.message}`);
    return false;
  }
}

const rendered = process.argv.indexOf("--rendered");
if (rendered > 0) {
  const docs = YAML.parseAllDocuments(readFileSync(process.argv[rendered + 1], "utf8")).map((d) => d.toJS());
  docs.forEach((obj) => validate(obj, "rendered"));
  for (const p of problems) console.error(`FAIL ${p}`);
  if (problems.length > 0 || docs.length === 0) process.exit(1);
  console.log(`rendered: ${docs.length} objects valid`);
  process.exit(0);
}

// --- PrometheusRule = alerts.yml -------------------------------------------------------------------
const alerts = YAML.parse(read("config/prometheus/alerts.yml"));
const ruleFile = "k8s/base/prometheusrule.yaml";
if (fix) {
  const rule = {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name: "doorbelld" },
    spec: alerts,
  };
  writeFileSync(
    join(root, ruleFile),
    "# Generated from config/prometheus/alerts.yml by `node tests/deployment/validate.mjs . --fix`;\n" +
      "# the test suite fails when the two differ.\n" +
      YAML.stringify(rule, { lineWidth: 110 }),
  );
}

// --- Kubernetes: every object of every kustomization, by schema --------------------------------------
const objects = new Map(); // "Kind/name" -> object, from resources (not patches)
function loadKustomization(dir) {
  const where = `${dir}/kustomization.yaml`;
  const k = YAML.parse(read(where));
  for (const r of k.resources ?? []) {
    const path = join(dir, r);
    if (existsSync(join(root, path, "kustomization.yaml"))) {
      loadKustomization(path);
      continue;
    }
    if (!existsSync(join(root, path))) {
      problem(where, `resource ${r} does not exist`);
      continue;
    }
    for (const doc of YAML.parseAllDocuments(read(path))) {
      const obj = doc.toJS();
      validate(obj, path);
      objects.set(`${obj.kind}/${obj.metadata.name}`, obj);
    }
  }
  for (const g of [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])]) {
    for (const f of [...(g.files ?? []), ...(g.envs ?? [])]) {
      check(existsSync(join(root, dir, f)), where, `generator ${g.name} reads ${f}, which does not exist`);
    }
  }
  for (const p of k.patches ?? []) {
    const path = join(dir, p.path);
    if (!existsSync(join(root, path))) {
      problem(where, `patch ${p.path} does not exist`);
      continue;
    }
    const patch = YAML.parse(read(path));
    check(objects.has(`${patch.kind}/${patch.metadata.name}`), path, `patches ${patch.kind}/${patch.metadata.name}, which the base lacks`);
  }
}
loadKustomization("k8s/overlays/example");
for (const kind of ["Deployment", "Service", "PersistentVolumeClaim", "ServiceMonitor", "PrometheusRule", "Namespace"]) {
  check([...objects.keys()].some((key) => key.startsWith(`${kind}/`)), "k8s", `no ${kind}`);
}

// --- The Deployment's promises --------------------------------------------------------------------
const deployment = objects.get("Deployment/doorbelld");
if (deployment) {
  const where = "k8s/base/deployment.yaml";
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  check(deployment.spec.replicas === 1, where, "a single writer to SQLite needs replicas: 1");
  check(deployment.spec.strategy?.type === "Recreate", where, "strategy must be Recreate (single SQLite writer)");
  check(pod.enableServiceLinks === false, where, "enableServiceLinks must be false (DOORBELL_* variable clash)");
  check(pod.securityContext?.runAsNonRoot === true, where, "runAsNonRoot must be true");
  check(container.securityContext?.readOnlyRootFilesystem === true, where, "readOnlyRootFilesystem must be true");
  check(container.securityContext?.allowPrivilegeEscalation === false, where, "allowPrivilegeEscalation must be false");
  check(isDeepStrictEqual(container.securityContext?.capabilities?.drop, ["ALL"]), where, "capabilities must drop ALL");
  check(container.livenessProbe?.httpGet?.path === "/api/health", where, "liveness must use /api/health");
  check(container.readinessProbe?.httpGet?.path === "/api/ready", where, "readiness must use /api/ready");
  check(container.startupProbe?.httpGet?.path === "/api/health", where, "a startupProbe must cover model loading");
  check(container.resources?.requests && container.resources?.limits, where, "resources need requests and limits");
  const port = container.ports.find((p) => p.name === "http");
  check(port, where, "the container needs a port named http");
  const annotations = deployment.spec.template.metadata.annotations ?? {};
  check(annotations["prometheus.io/scrape"] === "true", where, "prometheus.io/scrape annotation missing");
  check(port && annotations["prometheus.io/port"] === String(port.containerPort), where, "prometheus.io/port is not the http port");
  const dockerUser = /^USER (\d+):(\d+)$/m.exec(read("docker/Dockerfile"));
  check(dockerUser && Number(dockerUser[1]) === pod.securityContext?.runAsUser, where, "runAsUser differs from the image's USER");
  const mounts = new Set(container.volumeMounts.map((m) => m.name));
  for (const v of pod.volumes) check(mounts.has(v.name), where, `volume ${v.name} is not mounted`);
  const claim = pod.volumes.find((v) => v.persistentVolumeClaim)?.persistentVolumeClaim?.claimName;
  check(objects.has(`PersistentVolumeClaim/${claim}`), where, `claim ${claim} is not defined`);
  const service = objects.get("Service/doorbelld");
  check(service?.spec.ports[0].targetPort === "http", "k8s/base/service.yaml", "targetPort must be the http port");
  const monitor = objects.get("ServiceMonitor/doorbelld");
  check(monitor?.spec.endpoints[0].port === service?.spec.ports[0].name, "k8s/base/servicemonitor.yaml", "endpoint port is not the Service's");
}
const rule = objects.get("PrometheusRule/doorbelld");
check(rule && isDeepStrictEqual(rule.spec, alerts), ruleFile, "differs from config/prometheus/alerts.yml (run validate.mjs --fix)");

// --- Grafana dashboard and provisioning -----------------------------------------------------------
{
  const where = "grafana/dashboards/doorbelld.json";
  const dashboard = JSON.parse(read(where));
  const ids = new Set();
  const variables = new Set(dashboard.templating.list.map((v) => v.name));
  check(variables.has("datasource") && variables.has("instance"), where, "needs datasource and instance variables");
  for (const panel of dashboard.panels) {
    check(!ids.has(panel.id), where, `panel id ${panel.id} is used twice`);
    ids.add(panel.id);
    const g = panel.gridPos;
    check(g && g.x >= 0 && g.w > 0 && g.x + g.w <= 24 && g.h > 0, where, `panel "${panel.title}" lies outside the 24-column grid`);
    if (panel.type === "row") continue;
    check(panel.targets?.length > 0, where, `panel "${panel.title}" has no queries`);
    for (const t of panel.targets ?? []) {
      check(t.expr?.length > 0, where, `panel "${panel.title}" has a query without expr`);
      check(t.datasource?.uid === "${datasource}", where, `panel "${panel.title}" does not use the datasource variable`);
      for (const v of t.expr.matchAll(/\$(\w+)/g)) {
        check(v[1].startsWith("__") || variables.has(v[1]), where, `panel "${panel.title}" uses undefined $${v[1]}`);
      }
    }
  }
  const titles = dashboard.panels.map((p) => p.title.toLowerCase()).join(" | ");
  for (const topic of ["rings", "stage", "events", "faces", "deliveries", "outbox", "camera fps", "queues", "cpu", "memory"]) {
    check(titles.includes(topic), where, `no panel about ${topic}`);
  }
  const sources = YAML.parse(read("grafana/provisioning/datasources/doorbelld.yml")).datasources;
  check(sources.some((s) => s.type === "prometheus" && s.isDefault), "grafana/provisioning", "no default Prometheus data source");
  const providers = YAML.parse(read("grafana/provisioning/dashboards/doorbelld.yml")).providers;
  check(providers[0]?.options?.path === "/var/lib/grafana/dashboards", "grafana/provisioning", "the dashboard path is not where compose mounts it");
}

// --- Compose: what it mounts exists ----------------------------------------------------------------
{
  const compose = YAML.parse(read("docker/compose.yaml"));
  for (const [name, service] of Object.entries(compose.services)) {
    for (const volume of service.volumes ?? []) {
      const source = volume.split(":")[0];
      if (source.startsWith(".")) check(existsSync(join(root, "docker", source)), "docker/compose.yaml", `${name} mounts ${source}, which does not exist`);
    }
  }
  for (const s of ["doorbelld", "prometheus", "grafana", "jaeger"]) check(compose.services[s], "docker/compose.yaml", `no ${s} service`);
}

// --- Dockerfile: the runtime stage ----------------------------------------------------------------
{
  const where = "docker/Dockerfile";
  const text = read(where).replace(/\\\n/g, " ");
  const stages = text.split(/^FROM /m).slice(1);
  check(stages.length >= 2, where, "expected a build stage and a runtime stage");
  const runtime = stages[stages.length - 1];
  check(/^debian:bookworm-slim/.test(runtime), where, "the runtime stage must be debian:bookworm-slim");
  check(!/\b(curl|wget)\b/.test(runtime.replace(/^#.*$/gm, "")), where, "the runtime stage must not install curl or wget");
  const user = /^USER (\d+)/m.exec(runtime);
  check(user && Number(user[1]) !== 0, where, "the runtime stage must run as a numeric non-root USER");
  check(/^HEALTHCHECK .*CMD \[.*"doorbelld".*"healthcheck"\]/m.test(runtime), where, "HEALTHCHECK must run `doorbelld ... healthcheck`");
  for (const directive of ["EXPOSE 8080", "STOPSIGNAL SIGTERM", "VOLUME"]) {
    check(new RegExp(`^${directive}`, "m").test(runtime), where, `missing ${directive}`);
  }
  const ignored = read(".dockerignore").split("\n");
  for (const dir of ["build/", "models/", "**/node_modules/"]) {
    check(ignored.includes(dir), ".dockerignore", `${dir} must not reach the build context (stale CMake caches, models)`);
  }
  for (const m of text.matchAll(/^COPY (?!--from)(\S+)/gm)) {
    check(m[1] === "." || existsSync(join(root, m[1])), where, `COPY ${m[1]}: no such file`);
  }
}

if (problems.length > 0) {
  for (const p of problems) console.error(`FAIL ${p}`);
  process.exit(1);
}
console.log(`deployment files: ${objects.size} Kubernetes objects valid, rules in sync, dashboard and Dockerfile ok`);
