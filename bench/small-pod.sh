#!/usr/bin/env bash
# Does tokenbench fit a 512 Mi pod? Runs, each in a fresh process sized as in such a container (-XX:MaxRAM=512m,
# the same heap sizing a JVM gets from a 512 Mi cgroup limit) with the launcher's JVM settings:
#   demo        ./tokenbench run (the bundled demo, its simulator in-process)
#   streams-500 / streams-1000   500 / 1,000 openai-chat streams started together (closed loop, 2 requests each,
#               20 tokens/s, 100 tokens), against the simulator in a separate process
# and prints per run: exit code, peak RSS (VmHWM from /proc, sampled every 0.1 s until the process ends), requests
# ok, and the GC's longest pause and its total (from -Xlog:gc; ZGC logs no pauses at that level). Set GC_OPTS to compare collectors, e.g.
# GC_OPTS=-XX:+UseZGC; they are added after the launcher's own settings. A benchmark, not a test.
# Settings (environment): PORT, MAX_RAM (default 512m), GC_OPTS, ONLY (one of demo, streams-500, streams-1000).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
port=${PORT:-18434}
max_ram=${MAX_RAM:-512m}
work=target/bench/small-pod
rm -rf "$work"
mkdir -p "$work"
./tokenbench --version >/dev/null   # builds the jar when needed

cat >"$work/sim.yaml" <<YAML
name: small-pod-simulator
targets:
  - {name: unused, api: openai-chat, base-url: 'sim://paced/v1', model: sim}
prompts: {synthetic: {input-tokens: 32, output-tokens: 16, count: 1}}
simulator:
  scenarios:
    paced: {ttft: 200ms, tokens-per-second: 20, jitter: 0.1}
YAML

streams_plan() { # concurrency
  cat >"$work/streams-$1.yaml" <<YAML
name: streams-$1
targets:
  - {name: paced, api: openai-chat, base-url: 'http://127.0.0.1:$port/paced/v1', model: sim}
prompts: {synthetic: {input-tokens: 32, output-tokens: 100, count: 8}}
load: {mode: closed, concurrency: $1, requests: $(($1 * 2)), warmup: 0, timeout: 120s, stall-timeout: 30s}
YAML
}

java -Xmx1g -jar target/quarkus-app/quarkus-run.jar sim --config "$work/sim.yaml" --port "$port" \
  >"$work/sim.out" 2>&1 &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true' EXIT
await_listening "$work/sim.out"

measure() { # name, then the tokenbench arguments
  local name=$1 pid hwm=0 sample rc
  shift
  TOKENBENCH_JAVA_OPTS="-XX:MaxRAM=$max_ram ${GC_OPTS:-} -Xlog:gc:file=$work/$name-gc.log" \
    ./tokenbench "$@" --out "$work/$name" -q --no-history >"$work/$name.log" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    # A process that has ended but is not reaped yet has no VmHWM: keep the last one read.
    sample=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    hwm=${sample:-$hwm}
    sleep 0.1
  done
  rc=0
  wait "$pid" || rc=$?
  python3 - "$name" "$rc" "${hwm:-0}" "$work" <<'PY'
import json, re, sys
name, rc, hwm_kb, work = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ok = total = 0
try:
    for line in open(f"{work}/{name}/requests.jsonl"):
        r = json.loads(line)
        if not r["warmup"]:
            total += 1
            ok += r["ok"]
except OSError:
    pass
pauses = [float(m) for m in re.findall(r"Pause.* (\d+\.\d+)ms$", open(f"{work}/{name}-gc.log").read(), re.M)]
print(f"{name:<13} exit {rc}, peak RSS {hwm_kb / 1024:.0f} MiB, {ok}/{total} ok, "
      f"GC pauses: {len(pauses)}, max {max(pauses, default=0):.1f} ms, total {sum(pauses):.0f} ms")
PY
}

for run in ${ONLY:-demo streams-500 streams-1000}; do
  case $run in
    demo) measure demo run ;;
    streams-*) streams_plan "${run#streams-}"; measure "$run" run "$work/$run.yaml" ;;
  esac
done
