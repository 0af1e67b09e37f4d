#!/usr/bin/env bash
# Deliver latency and TTFT error over plaintext HTTP/1.1, TLS HTTP/1.1 and TLS h2, side by side in one run, against
# the built-in simulator in processes of its own (one plaintext, one https with a self-signed certificate that the
# client trusts through ca-file), printed as one table (bench/tls_figures.py says what each figure is):
#   plain      http://   http-version 1.1
#   tls-1.1    https://  http-version 1.1 (what the official SDKs speak)
#   tls-h2     https://  http-version 2   (all streams of a client on one connection)
# Each run: closed loop at CONCURRENCY (default 4), REQUESTS measured after WARMUP, answers of TOKENS tokens at
# TPS tokens/s. Target (issue 16): deliver p99 <= 1 ms at concurrency 4 on TLS HTTP/1.1 and h2 on a 2-core machine.
# A benchmark, not a test: run it on a quiet machine; the last line, bench/CoreSpeed.java, says how contended the
# host's cores were. CLIENT_OPTS: JVM options of the client.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-18441}
tls_port=$((port + 1))
concurrency=${CONCURRENCY:-4}
requests=${REQUESTS:-400}
warmup=${WARMUP:-80}
tokens=${TOKENS:-100}
tps=${TPS:-100}
work=target/bench/tls
rm -rf "$work"
mkdir -p "$work"
./tokenbench --version >/dev/null   # builds the jar when needed
jar=target/quarkus-app/quarkus-run.jar

cat >"$work/sim.yaml" <<YAML
name: tls-simulator
targets:
  - {name: unused, api: openai-chat, base-url: 'sim://paced/v1', model: sim}
prompts: {synthetic: {input-tokens: 32, output-tokens: 16, count: 1}}
simulator:
  scenarios:
    paced: {ttft: 50ms, tokens-per-second: $tps, jitter: 0.1}
YAML

pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT
java -XX:+UseZGC -jar "$jar" sim --config "$work/sim.yaml" --port "$port" --log "$work/sim-plain.jsonl" \
  >"$work/sim-plain.out" 2>&1 &
pids+=($!)
java -XX:+UseZGC -jar "$jar" sim --config "$work/sim.yaml" --port "$tls_port" --log "$work/sim-tls.jsonl" \
  --tls --tls-cert-out "$work/sim.pem" >"$work/sim-tls.out" 2>&1 &
pids+=($!)
for out in sim-plain sim-tls; do
  for _ in $(seq 1 150); do
    grep -q 'listening' "$work/$out.out" 2>/dev/null && break
    sleep 0.2
  done
  grep -q 'listening' "$work/$out.out" || { echo "the simulator did not start; see $work/$out.out" >&2; exit 3; }
done

plan() { # name base-url extra-fields
  cat >"$work/$1.yaml" <<YAML
name: tls-$1
targets:
  - {name: $1, api: openai-chat, base-url: '$2/paced/v1', model: sim, estimate-output-tokens: without-usage$3}
prompts: {synthetic: {input-tokens: 32, output-tokens: $tokens, count: 8}}
load: {mode: closed, concurrency: $concurrency, requests: $requests, warmup: $warmup, timeout: 120s,
       stall-timeout: 30s}
YAML
}

plan plain "http://127.0.0.1:$port" ", http-version: '1.1'"
plan tls-1.1 "https://127.0.0.1:$tls_port" ", http-version: '1.1', ca-file: sim.pem"
plan tls-h2 "https://127.0.0.1:$tls_port" ", http-version: '2', ca-file: sim.pem"

rows=()
for name in plain tls-1.1 tls-h2; do
  TOKENBENCH_JAVA_OPTS="${CLIENT_OPTS:-}" ./tokenbench run "$work/$name.yaml" --out "$work/$name" -q \
    >"$work/$name.log" 2>&1 || true
  log=$([ "$name" = plain ] && echo sim-plain || echo sim-tls)
  rows+=("$(python3 bench/tls_figures.py "$name" "$work/$name" "$work/$log.jsonl")")
done
echo "concurrency $concurrency, $requests requests of $tokens tokens at $tps tokens/s per transport"
for row in "${rows[@]}"; do
  echo "$row"
done
java bench/CoreSpeed.java
