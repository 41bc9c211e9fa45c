// Validates the deployment files that no tool on this machine can run: every Kubernetes object against
// the Kubernetes (and Prometheus Operator) OpenAPI schemas, the kustomizations' references, the
// Deployment's safety settings, the PrometheusRule against config/prometheus/alerts.yml, the Grafana
// dashboard's structure and the Dockerfile's runtime stage. Prints each problem; exits 1 if any.
// Usage: node validate.mjs REPO_ROOT [--fix] [--rendered FILE]
//   --fix            rewrites k8s/monitoring/prometheusrule.yaml from alerts.yml
//   --rendered FILE  validates only the objects of FILE (`kubectl kustomize` output) against the schemas
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import YAML from "yaml";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
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

const models = { ConfigMap, Deployment, StatefulSet, Namespace, PersistentVolumeClaim, Secret, Service, PrometheusRule, ServiceMonitor };

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
const ruleFile = "k8s/monitoring/prometheusrule.yaml";
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
// Loads the objects of a kustomization's resources (not patches, nor kustomize's renames) into objects,
// "Kind/name" -> object, checking that what it names exists; returns the kustomization.
function loadKustomization(dir, objects) {
  const where = `${dir}/kustomization.yaml`;
  const k = YAML.parse(read(where));
  for (const r of k.resources ?? []) {
    const path = join(dir, r);
    if (existsSync(join(root, path, "kustomization.yaml"))) {
      loadKustomization(path, objects);
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
    if (p.target) {
      check([...objects.values()].some((o) => o.kind === p.target.kind), path, `targets kind ${p.target.kind}, which the resources lack`);
    } else {
      check(objects.has(`${patch.kind}/${patch.metadata.name}`), path, `patches ${patch.kind}/${patch.metadata.name}, which the base lacks`);
    }
  }
  return k;
}
const objects = new Map();
loadKustomization("k8s/overlays/example", objects);
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
  check(monitor?.spec.endpoints[0].port === service?.spec.ports[0].name, "k8s/monitoring/servicemonitor.yaml", "endpoint port is not the Service's");
}
const rule = objects.get("PrometheusRule/doorbelld");
check(rule && isDeepStrictEqual(rule.spec, alerts), ruleFile, "differs from config/prometheus/alerts.yml (run validate.mjs --fix)");

// --- Many doors: a Deployment per door and PostgreSQL -------------------------------------------------
{
  const dir = "k8s/overlays/many-doors";
  const all = new Map();
  const k = loadKustomization(dir, all);
  // A door's configuration file; its leading // comments are not JSON.
  const config = (path) => JSON.parse(read(path).replace(/^\s*\/\/.*$/gm, ""));
  // libpq's keyword=value connection string as an object.
  const conninfo = (text) => Object.fromEntries(text.trim().split(/\s+/).map((kv) => kv.split("=")));
  const secretKeys = new Set(
    read(join(dir, "secrets.env")).split("\n").filter((l) => /^\w+=/.test(l)).map((l) => l.split("=")[0]));
  const fromSecret = (env, name, where) => {
    const ref = env?.find((e) => e.name === name)?.valueFrom?.secretKeyRef;
    check(ref?.name === "doorbelld-secrets" && secretKeys.has(ref?.key), where, `${name} must come from a key of secrets.env`);
    return ref?.key;
  };
  const postgres = all.get("StatefulSet/postgres");
  const service = all.get("Service/postgres");
  check(postgres && service, dir, "needs the StatefulSet and Service postgres");
  const doors = [];
  for (const r of k.resources) {
    const doorDir = join(dir, r);
    if (r.startsWith("..") || !existsSync(join(root, doorDir, "kustomization.yaml"))) continue;
    const where = `${doorDir}/kustomization.yaml`;
    const door = YAML.parse(read(where));
    const id = r;
    doors.push(id);
    check(door.nameSuffix === `-${id}`, where, `nameSuffix must be -${id}: each door's objects named apart`);
    const label = door.labels?.find((l) => l.pairs?.["app.kubernetes.io/instance"] === id);
    check(label?.includeSelectors === true, where, "the instance label must reach the selectors, or one door's Service reaches the other's pods");
    check(door.resources?.includes("../../../base"), where, "a door is the base doorbelld");
    const settings = config(`${doorDir}/doorbelld.json`);
    const wherePath = `${doorDir}/doorbelld.json`;
    check(settings.door?.id === id, wherePath, `door.id must be ${id}, its directory's name`);
    check(settings.storage?.backend === "postgres", wherePath, "storage.backend must be postgres");
    const db = conninfo(settings.storage?.postgres ?? "");
    check(!("password" in db), wherePath, "the connection string must not hold the password (PGPASSWORD does)");
    if (postgres && service) {
      const env = postgres.spec.template.spec.containers[0].env;
      const value = (name) => env.find((e) => e.name === name)?.value;
      check(db.host === service.metadata.name, wherePath, `host must be the Service ${service.metadata.name}`);
      check(Number(db.port ?? 5432) === service.spec.ports[0].port, wherePath, "port must be the Service's");
      check(db.dbname === value("POSTGRES_DB") && db.user === value("POSTGRES_USER"), wherePath, "dbname and user must be the StatefulSet's POSTGRES_DB and POSTGRES_USER");
    }
  }
  check(doors.length >= 2 && new Set(doors).size === doors.length, dir, "needs two doors or more, each its own id");
  const patch = k.patches?.find((p) => p.target?.kind === "Deployment");
  const doorEnv = patch && YAML.parse(read(join(dir, patch.path))).spec.template.spec.containers[0].env;
  const doorKey = fromSecret(doorEnv, "PGPASSWORD", `${dir}/door-database.yaml`);
  check(patch?.target.labelSelector === "app.kubernetes.io/name=doorbelld", `${dir}/kustomization.yaml`, "the database patch must reach every door's Deployment");
  if (postgres && service) {
    const where = `${dir}/postgres.yaml`;
    const pod = postgres.spec.template.spec;
    const container = pod.containers[0];
    check(fromSecret(container.env, "POSTGRES_PASSWORD", where) === doorKey, where, "the doors' PGPASSWORD is not the server's password");
    check(postgres.spec.serviceName === service.metadata.name, where, "serviceName must be the Service postgres");
    check(isDeepStrictEqual(service.spec.selector, postgres.spec.selector.matchLabels), where, "the Service must select the StatefulSet's pods");
    check(service.spec.ports[0].targetPort === container.ports[0].name, where, "the Service must reach the container's port");
    check(pod.securityContext?.runAsNonRoot === true && container.securityContext?.allowPrivilegeEscalation === false &&
          isDeepStrictEqual(container.securityContext?.capabilities?.drop, ["ALL"]), where, "must meet the restricted Pod Security Standard");
    const data = postgres.spec.volumeClaimTemplates?.[0]?.metadata.name;
    check(container.volumeMounts.some((m) => m.name === data && m.mountPath === "/var/lib/postgresql/data"), where, "the data must be on the claim");
    check(container.readinessProbe?.exec?.command?.[0] === "pg_isready", where, "readiness must be pg_isready");
  }
  check(all.has("ServiceMonitor/doorbelld") && all.has("PrometheusRule/doorbelld"), dir, "the monitoring objects, once for every door");
}

// --- Grafana dashboard and provisioning -----------------------------------------------------------
{
  const where = "grafana/dashboards/doorbelld.json";
  const dashboard = JSON.parse(read(where));
  const ids = new Set();
  const variables = new Set(dashboard.templating.list.map((v) => v.name));
  check(variables.has("datasource") && variables.has("door") && variables.has("instance"), where,
        "needs datasource, door and instance variables");
  const instance = dashboard.templating.list.find((v) => v.name === "instance");
  check(JSON.stringify(instance?.query ?? "").includes("$door"), where, "the instance variable must follow the door variable");
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
console.log(`deployment files: ${objects.size} Kubernetes objects valid, rules in sync, many doors consistent, dashboard and Dockerfile ok`);
