#!/usr/bin/env bash
# Renders the Kubernetes base, the many-doors overlay and the example overlay with kubectl's kustomize and validates every
# rendered object against the schemas (validate.mjs --rendered). Exit 77 (skipped) without kubectl:
# Debian bookworm does not package a kubectl with kustomize v5.
# Usage: kustomize_test.sh   (from the repository root)
set -euo pipefail
command -v kubectl >/dev/null || { echo "SKIP: no kubectl on this machine"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for dir in k8s/base k8s/overlays/many-doors k8s/overlays/example; do
  kubectl kustomize "$dir" >"$work/out.yaml" || fail "kubectl kustomize $dir"
  node tests/deployment/validate.mjs . --rendered "$work/out.yaml"
  if [ "$dir" = k8s/overlays/many-doors ]; then  # a Deployment per door, each selecting its own pods
    for door in front back; do
      grep -q "name: doorbelld-$door$" "$work/out.yaml" || fail "no doorbelld-$door"
      grep -q "app.kubernetes.io/instance: $door$" "$work/out.yaml" || fail "no instance label $door"
    done
    [ "$(grep -c "name: PGPASSWORD$" "$work/out.yaml")" -eq 2 ] || fail "not every door has PGPASSWORD"
    [ "$(grep -c "kind: ServiceMonitor$" "$work/out.yaml")" -eq 1 ] || fail "the ServiceMonitor must be there once"
  fi
done
# The overlay: its namespace everywhere, generated names (with hashes) referenced by the Deployment.
grep -q "namespace: doorbell$" "$work/out.yaml" || fail "the overlay's namespace is not applied"
# Each generated name appears as the object's own and again where the Deployment refers to it.
[ "$(grep -cE "name: doorbelld-config-[a-z0-9]{10}$" "$work/out.yaml")" -ge 2 ] || fail "the Deployment does not use the generated ConfigMap"
[ "$(grep -cE "name: doorbelld-secrets-[a-z0-9]{10}$" "$work/out.yaml")" -ge 4 ] || fail "the Deployment does not use the generated Secret"
grep -q "kubernetes.io/arch: arm64" "$work/out.yaml" || fail "the overlay's patch is not applied"
echo "kustomize: base and example overlay render and validate"
