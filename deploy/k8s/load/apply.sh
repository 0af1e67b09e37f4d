#!/bin/sh
# Starts a distributed load test: writes the start instant (now + LEAD seconds, default 120: time for the pods to
# be scheduled, pull the image and self-warm) into the ConfigMap tokenbench-load-start, replaces the previous Job
# (a Job's pods are immutable) and applies this directory. Every shard starts its first measured request then.
#   deploy/k8s/load/apply.sh [LEAD_SECONDS]
set -eu
lead="${1:-120}"
case "$lead" in ''|*[!0-9]*) echo "apply.sh: LEAD_SECONDS must be a whole number of seconds, found '$lead'" >&2; exit 2;; esac
start_ms=$(( ( $(date +%s) + lead ) * 1000 ))
here=$(dirname "$0")
kubectl -n tokenbench create configmap tokenbench-load-start --from-literal=start-at="$start_ms" \
  --dry-run=client -o yaml | kubectl apply -f -
kubectl -n tokenbench delete job tokenbench-load --ignore-not-found
kubectl apply -k "$here"
echo "tokenbench-load: shards start at $start_ms (epoch ms, $(date -u -d "@$(( start_ms / 1000 ))" +%FT%TZ 2>/dev/null || echo "in $lead s"))"
