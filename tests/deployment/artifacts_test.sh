#!/usr/bin/env bash
# The deployment files, checked with the real tools where this machine has them: yamllint, the
# schema/consistency checks of validate.mjs (Kubernetes, dashboard, Dockerfile), dockerfilelint,
# action-validator on the CI workflow,
# docker-compose's own validation, promtool on the compose Prometheus configuration, systemd-analyze on
# the unit, and the daemon's --check-config on every shipped configuration.
# Usage: artifacts_test.sh DOORBELLD_BINARY PROMTOOL   (from the repository root)
set -euo pipefail
doorbelld=$(realpath "$1")
promtool=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

yamllint -s . || fail "yamllint"
echo "yamllint: clean"

node tests/deployment/validate.mjs .
tests/deployment/node_modules/.bin/dockerfilelint docker/Dockerfile >"$work/lint.txt" || { cat "$work/lint.txt"; fail "dockerfilelint"; }
grep -q "Issues: None found" "$work/lint.txt" || { cat "$work/lint.txt"; fail "dockerfilelint found issues"; }
echo "dockerfilelint: clean"

# The CI workflow against GitHub's workflow schema (SchemaStore), with action-validator.
tests/deployment/node_modules/.bin/action-validator .github/workflows/ci.yml || fail "action-validator .github/workflows/ci.yml"
echo "CI workflow: valid"

# docker-compose validates the file against the Compose schema without an engine.
(cd docker && DOORBELL_HTTP_API_TOKEN=t docker-compose -f compose.yaml config --quiet) || fail "docker-compose config"
if (cd docker && env -u DOORBELL_HTTP_API_TOKEN docker-compose -f compose.yaml config --quiet 2>/dev/null); then
  fail "compose starts without DOORBELL_HTTP_API_TOKEN"
fi
echo "compose: valid, and refuses to start without an API token"
# Two doors on one PostgreSQL database: valid, both doors on it, and no start without its password.
many=$(cd docker && DOORBELL_HTTP_API_TOKEN=t POSTGRES_PASSWORD=p docker-compose -f compose.many-doors.yaml config) ||
  fail "docker-compose config of compose.many-doors.yaml"
[ "$(grep -c 'DOORBELL_STORAGE_BACKEND: postgres' <<<"$many")" -eq 2 ] || fail "both doors should use PostgreSQL"
grep -q 'DOORBELL_DOOR_ID: back' <<<"$many" || fail "the back door has no door.id"
if (cd docker && env -u POSTGRES_PASSWORD DOORBELL_HTTP_API_TOKEN=t docker-compose -f compose.many-doors.yaml config --quiet 2>/dev/null); then
  fail "compose.many-doors.yaml starts without POSTGRES_PASSWORD"
fi
echo "compose (many doors): valid, two doors on PostgreSQL"

# The compose Prometheus configuration, with the rules file where compose mounts it.
sed "s#/etc/prometheus/doorbelld-alerts.yml#$PWD/config/prometheus/alerts.yml#" docker/prometheus.yml >"$work/prometheus.yml"
"$promtool" check config "$work/prometheus.yml" >/dev/null || fail "promtool check config docker/prometheus.yml"
echo "docker/prometheus.yml: promtool check config ok"

# The unit, pointing at the binary just built (systemd-analyze checks that ExecStart exists).
sed "s#/usr/bin/doorbelld#$doorbelld#" config/doorbelld.service >"$work/doorbelld.service"
out=$(systemd-analyze verify "$work/doorbelld.service" 2>&1) || fail "systemd-analyze verify: $out"
[ -z "$out" ] || fail "systemd-analyze verify warns: $out"
exposure=$(systemd-analyze security --offline=true "$work/doorbelld.service" 2>/dev/null | sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p')
awk -v e="$exposure" 'BEGIN { exit !(e != "" && e <= 2.5) }' || fail "systemd-analyze security exposure $exposure > 2.5"
echo "doorbelld.service: systemd-analyze verify clean, security exposure $exposure"

# Every shipped configuration passes the daemon's own validation, with the environment it runs with.
token=$work/token
echo secret >"$token"
for config in config/raspberry-pi.json docker/doorbelld.json k8s/base/doorbelld.json k8s/overlays/*/doorbelld.json \
  k8s/overlays/many-doors/*/doorbelld.json; do
  out=$(DOORBELL_HTTP_API_TOKEN_FILE=$token DOORBELL_WEBHOOK_SECRET=s "$doorbelld" --config "$config" --check-config 2>&1) \
    || fail "$config: $out"
done
echo "shipped configurations: --check-config OK"
