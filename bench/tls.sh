#!/usr/bin/env bash
# Deliver latency and TTFT error over plaintext HTTP/1.1, TLS HTTP/1.1 and TLS h2, side by side in one run, against
# the built-in simulator in processes of its own (one plaintext, one https per engine, with a self-signed certificate that the
# client trusts through ca-file), printed as one table (bench/tls_figures.py says what each figure is):
#   plain          http://   http-version 1.1
#   ENGINE-1.1     https://  http-version 1.1 (what the official SDKs speak)
#   ENGINE-h2      https://  http-version 2   (the streams of each event loop's client on one connection)
# each TLS row once per engine in ENGINES (default "jdk openssl": the JDK's SSLEngine and BoringSSL through
# netty-tcnative, chosen by TOKENBENCH_TLS_ENGINE for the client and its simulator alike).
# Each run: closed loop at CONCURRENCY (default 4), REQUESTS measured after WARMUP, answers of TOKENS tokens at
# TPS tokens/s. Target (issue 16): deliver p99 <= 1 ms at concurrency 4 on TLS HTTP/1.1 and h2 on a 2-core machine.
# With SDK=1 (needs node and npm: Debian's nodejs and npm), each plaintext and TLS HTTP/1.1 row is followed by the
# same load read by the official openai Node SDK (bench/sdk: its version pinned in package.json, installed there by
# npm ci on first use), a reference on the same host in the same run: the least a widely used client gets here.
# A benchmark, not a test: run it on a quiet machine; the last lines, bench/CoreSpeed.java, say how contended the
# host's cores were and how late a thread blocked on a loopback read wakes (no deliver p99 is below that one).
# CLIENT_OPTS: JVM options of the client.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
port=${PORT:-18441}
tls_port=$((port + 1))
concurrency=${CONCURRENCY:-4}
requests=${REQUESTS:-200}
warmup=${WARMUP:-40}
tokens=${TOKENS:-100}
tps=${TPS:-200}
engines=${ENGINES:-jdk openssl}
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
sims=(sim-plain)
i=0
for engine in $engines; do
  i=$((i + 1))
  TOKENBENCH_TLS_ENGINE=$engine java -XX:+UseZGC -jar "$jar" sim --config "$work/sim.yaml" \
    --port "$((tls_port + i))" --log "$work/sim-$engine.jsonl" --tls --tls-cert-out "$work/sim-$engine.pem" \
    >"$work/sim-$engine.out" 2>&1 &
  pids+=($!)
  sims+=("sim-$engine")
done
for out in "${sims[@]}"; do
  await_listening "$work/$out.out"
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

run() { # name sim-log tls-engine
  TOKENBENCH_TLS_ENGINE=$3 TOKENBENCH_JAVA_OPTS="${CLIENT_OPTS:-}" ./tokenbench run "$work/$1.yaml" --out "$work/$1" -q \
    >"$work/$1.log" 2>&1 || true
  rows+=("$(python3 bench/tls_figures.py "$1" "$work/$1" "$work/$2.jsonl")")
}

sdk=${SDK:-0}
if [ "$sdk" = 1 ]; then
  command -v node >/dev/null || { echo "SDK=1 needs node and npm (Debian: apt-get install -y nodejs npm)" >&2; exit 2; }
  [ -d bench/sdk/node_modules/openai ] || (cd bench/sdk && npm ci --no-audit --no-fund >/dev/null)
fi

sdk_run() { # name base-url sim-log [ca-file]: the Node SDK's row, when SDK=1
  [ "$sdk" = 1 ] || return 0
  local -a env=()
  [ -z "${4:-}" ] || env=(NODE_EXTRA_CA_CERTS="$4")
  env "${env[@]}" node bench/sdk/stream.mjs "$2/paced/v1" "$concurrency" "$requests" "$warmup" "$tokens" "$work/$1" \
    >"$work/$1.log" 2>&1 || true
  rows+=("$(python3 bench/tls_figures.py "$1" "$work/$1" "$work/$3.jsonl")")
}

rows=()
plan plain "http://127.0.0.1:$port" ", http-version: '1.1'"
run plain sim-plain jdk
sdk_run sdk-plain "http://127.0.0.1:$port" sim-plain
i=0
for engine in $engines; do
  i=$((i + 1))
  for version in 1.1 2; do
    name="$engine-$([ "$version" = 2 ] && echo h2 || echo 1.1)"
    plan "$name" "https://127.0.0.1:$((tls_port + i))" ", http-version: '$version', ca-file: sim-$engine.pem"
    run "$name" "sim-$engine" "$engine"
  done
  sdk_run "sdk-$engine" "https://127.0.0.1:$((tls_port + i))" "sim-$engine" "$work/sim-$engine.pem"
done
echo "concurrency $concurrency, $requests requests of $tokens tokens at $tps tokens/s per row"
for row in "${rows[@]}"; do
  echo "$row"
done
java bench/CoreSpeed.java
