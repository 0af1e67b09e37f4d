#!/usr/bin/env bash
# End-to-end parse rate of the openai-chat path: tokenbench against the built-in simulator running all out
# (no TTFT, an unbounded token rate) in a separate process, so the client's CPU is measured alone.
# Prints streamed tokens/s and client CPU microseconds per token for 1 and 8 concurrent streams.
# A benchmark, not a test: run it on a quiet machine, compare figures taken in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-18431}
requests=${REQUESTS:-200}
tokens=${TOKENS:-2000}
work=target/bench/parse-rate
mkdir -p "$work"
./tokenbench --version >/dev/null   # builds the jar when needed

write_plan() { # $1 = concurrency
  cat >"$work/plan-$1.yaml" <<YAML
name: parse-rate-c$1
targets:
  - name: allout
    api: openai-chat
    base-url: http://127.0.0.1:$port/allout/v1
    model: sim
prompts: {synthetic: {input-tokens: 32, output-tokens: $tokens, count: 4}}
load: {mode: closed, concurrency: $1, requests: $requests, warmup: $((4 * $1)), timeout: 120s, stall-timeout: 30s}
simulator:
  scenarios:
    allout: {ttft: 0ms, tokens-per-second: 100000000, tokens-per-chunk: 1}
YAML
}

write_plan 1
java -jar target/quarkus-app/quarkus-run.jar sim --config "$work/plan-1.yaml" --port "$port" \
  >"$work/sim.log" 2>&1 &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.2
done

printf '%-8s %12s %14s %16s %12s\n' streams tokens wall_s tokens_per_s cpu_us_per_tok
for c in 1 8; do
  write_plan "$c"
  out="$work/run-c$c"
  rm -rf "$out"
  ./tokenbench run "$work/plan-$c.yaml" --out "$out" -q >"$work/run-c$c.log"
  python3 - "$out" "$c" <<'PY'
import json, sys
out, c = sys.argv[1], sys.argv[2]
run = json.load(open(out + "/run.json"))
tokens = sum(json.loads(l)["output_tokens"] for l in open(out + "/requests.jsonl"))
wall, cpu = run["wall_seconds"], run["client_cpu_seconds"]
print(f"{c:<8} {tokens:>12} {wall:>14.3f} {tokens / wall:>16,.0f} {cpu * 1e6 / tokens:>12.3f}")
PY
done
