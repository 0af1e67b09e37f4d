#!/usr/bin/env bash
# Cold starts, as a CronJob runs tokenbench: a fresh process, 3 APIs x 5 requests, concurrency 1, no warm-up
# requests, against the built-in simulator in a separate process that logs when it received each request and wrote
# each token (sim --log). For each run, with the self-warm (the default) and without it (--no-self-warm), in turn:
#   first     per target, the TTFT error of its first request: tokenbench's ttft minus the simulator's own (first
#             token written - request received), so the client's whole part: connecting, sending, reading
#   rest      the same for the other 4 requests of each target (median and max)
#   deliver   first token written -> tokenbench saw it (the read leg alone), first request / the rest's max
#   start     the JVM's start: process launch -> the first request reaching the simulator (self-warm included)
# and, before them, the time to print --version (the CLI's start-up alone).
# A benchmark, not a test: compare figures taken in the same run, on a quiet machine.
# The simulator is warmed first by one throwaway client run, so that its own cold code is not read as the client's.
# With CAPTURE=1 (needs tcpdump and the right to capture, as bench/wire.sh) each client process runs under a loopback
# capture, and each first request's error is split as bench/wire.sh splits it: the client's part (t_send -> its
# bytes on the wire, plus its first token's segment -> tokenbench saw it) and the simulator's part.
# Settings (environment): PORT, RUNS (fresh processes per mode, default 3), CLIENT_OPTS (client JVM options),
# CAPTURE (1: split by a capture).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
port=${PORT:-18433}
runs=${RUNS:-3}
work=target/bench/cold
rm -rf "$work"
mkdir -p "$work"
./tokenbench --version >/dev/null   # builds the jar when needed

cat >"$work/sim.yaml" <<YAML
name: cold-simulator
targets:
  - {name: unused, api: openai-chat, base-url: 'sim://chat/v1', model: sim}
prompts: {synthetic: {input-tokens: 32, output-tokens: 16, count: 1}}
simulator:
  scenarios:
    chat: {ttft: 50ms, tokens-per-second: 100, jitter: 0}
    anthropic: {ttft: 50ms, tokens-per-second: 100, jitter: 0}
    bedrock: {ttft: 50ms, tokens-per-second: 100, jitter: 0}
YAML

cat >"$work/cold.yaml" <<YAML
name: cold
targets:
  - {name: chat, api: openai-chat, base-url: 'http://127.0.0.1:$port/chat/v1', model: sim}
  - {name: anthropic, api: anthropic, base-url: 'http://127.0.0.1:$port/anthropic', model: claude-sonnet-4-5}
  - {name: bedrock, api: bedrock-converse, base-url: 'http://127.0.0.1:$port/bedrock', model: 'openai.gpt-oss-120b-1:0',
     api-key: not-a-secret}
prompts: {synthetic: {input-tokens: 32, output-tokens: 20, count: 5}}
load: {mode: closed, concurrency: 1, requests: 5, warmup: 0, timeout: 30s, stall-timeout: 10s}
YAML

java -jar target/quarkus-app/quarkus-run.jar sim --config "$work/sim.yaml" --port "$port" \
  --log "$work/sim-log.jsonl" >"$work/sim.out" 2>&1 &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true' EXIT
await_listening "$work/sim.out"

./tokenbench run "$work/cold.yaml" --out "$work/simulator-warm-up" -q --no-history >"$work/simulator-warm-up.log" 2>&1

export CLIENT_OPTS="${CLIENT_OPTS:-}" RUNS="$runs" WORK="$work" PORT="$port" CAPTURE="${CAPTURE:-0}"
python3 - <<'PY'
import json, math, os, signal, statistics, subprocess, time

work, runs, port = os.environ["WORK"], int(os.environ["RUNS"]), os.environ["PORT"]
capture = os.environ["CAPTURE"] == "1"
env = dict(os.environ, TOKENBENCH_JAVA_OPTS=os.environ["CLIENT_OPTS"])
splits = {}


def captured(out, run):
    """Runs run() under bench/lib.sh's loopback capture of the simulator's port; files OUT.pcap and OUT.offsets."""
    with open(out + ".offsets", "w") as offsets:
        subprocess.run(["python3", "bench/wire_figures.py", "offset"], stdout=offsets, check=True)
    started = subprocess.run(["bash", "-c", 'source bench/lib.sh; start_capture "$1" "$2" 65536 >/dev/null; '
                              'echo "$dump_pid"', "capture", out, port], check=True, capture_output=True, text=True)
    dump_pid = int(started.stdout)
    try:
        return run()
    finally:
        with open(out + ".offsets", "a") as offsets:
            subprocess.run(["python3", "bench/wire_figures.py", "offset"], stdout=offsets, check=True)
        time.sleep(0.3)
        os.kill(dump_pid, signal.SIGINT)   # as stop_capture: tcpdump writes out what it holds and exits
        for _ in range(200):
            try:
                with open(f"/proc/{dump_pid}/stat") as stat:
                    if stat.read().rsplit(")", 1)[1].split()[0] == "Z":
                        break
            except FileNotFoundError:
                break
            time.sleep(0.05)

versions = []
for _ in range(3):
    t0 = time.monotonic_ns()
    subprocess.run(["./tokenbench", "--version"], env=env, check=True, capture_output=True)
    versions.append((time.monotonic_ns() - t0) / 1e6)
print(f"--version: {', '.join(f'{v:.0f}' for v in versions)} ms (median {statistics.median(versions):.0f} ms)")

launches = []
for i in range(runs):
    for mode in ("self-warm", "no-self-warm"):
        out = f"{work}/{mode}-{i}"
        args = ["./tokenbench", "run", f"{work}/cold.yaml", "--out", out, "-q", "--no-history"]
        if mode == "no-self-warm":
            args.append("--no-self-warm")
        t0 = time.monotonic_ns()   # CLOCK_MONOTONIC: the clock of System.nanoTime and of the simulator's log
        with open(out + ".log", "w") as log:
            client = lambda: subprocess.run(args, env=env, stdout=log, stderr=subprocess.STDOUT).returncode
            rc = captured(out, client) if capture else client()
        launches.append((mode, out, t0, rc))

time.sleep(0.5)   # the simulator's log is appended as requests end
if capture:
    for mode, out, t0, rc in launches:
        if rc == 0:
            lines = subprocess.run(["python3", "bench/wire_figures.py", "firsts", out + ".pcap", port, out + ".offsets",
                                    f"{work}/sim-log.jsonl", out, mode], check=True, capture_output=True, text=True)
            for line in lines.stdout.splitlines():
                label, target, kind, *parts = line.split()
                splits.setdefault((label, kind), []).append([float(x) for x in parts])
truth = {}
with open(f"{work}/sim-log.jsonl") as f:
    for line in f:
        e = json.loads(line)
        truth[e["request_id"]] = e

by_mode = {}
for mode, out, t0, rc in launches:
    if rc != 0:
        print(f"{mode} {out}: exit {rc}, see {out}.log")
        continue
    recs = [json.loads(l) for l in open(out + "/requests.jsonl")]
    warm = json.load(open(out + "/plan.json")).get("self_warm", {})
    firsts = {}
    row = by_mode.setdefault(mode, {"first": [], "rest": [], "first_deliver": [], "rest_deliver": [],
                                    "start": [], "warm_ms": [], "per_target": {}})
    received = []
    for r in sorted(recs, key=lambda r: r["t_send_ns"]):
        t = truth.get(r["request_id"])
        if not r["ok"] or t is None:
            print(f"{mode} {out}: {r['request_id']} {r['outcome']} {r.get('error')}")
            continue
        sim_ttft_ms = (t["first_token_written_ns"] - t["received_ns"]) / 1e6
        error = r["ttft_ms"] - sim_ttft_ms
        deliver = (r["t_first_token_ns"] - t["first_token_written_ns"]) / 1e6
        received.append(t["received_ns"])
        first = r["target"] not in firsts
        firsts.setdefault(r["target"], error)
        row["first" if first else "rest"].append(error)
        row["first_deliver" if first else "rest_deliver"].append(deliver)
        if first:
            row["per_target"].setdefault(r["target"], []).append(error)
    row["start"].append((min(received) - t0) / 1e6)
    if warm.get("enabled"):
        row["warm_ms"].append(f"{warm['took_ms']:.0f} ms ({warm['requests']} requests, {warm['failed']} failed)")

def ms(values):
    return ", ".join(f"{v:.1f}" for v in values)

for mode, row in by_mode.items():
    print(f"\n{mode} ({len(row['start'])} fresh processes)")
    for target, errors in row["per_target"].items():
        print(f"  first request  {target:<10} TTFT error {ms(errors)} ms")
    rest = row["rest"]
    print(f"  first requests: TTFT error median {statistics.median(row['first']):.1f} ms, max {max(row['first']):.1f} ms;"
          f" deliver max {max(row['first_deliver']):.2f} ms")
    print(f"  the rest ({len(rest)}): TTFT error median {statistics.median(rest):.1f} ms, max {max(rest):.1f} ms;"
          f" deliver max {max(row['rest_deliver']):.2f} ms")
    for kind in ("first", "rest"):
        parts = splits.get((mode, kind))
        if parts:
            med = lambda i: statistics.median(p[i] for p in parts)
            worst = lambda i: max(p[i] for p in parts)
            client = [p[0] + p[3] for p in parts]
            print(f"  {kind} requests, split by the capture (median / max ms): client's part "
                  f"{statistics.median(client):.2f} / {max(client):.2f} (send {med(0):.2f} / {worst(0):.2f}, "
                  f"read {med(3):.2f} / {worst(3):.2f}); simulator's part: received {med(1):.2f} / {worst(1):.2f}, "
                  f"first token on the wire {med(2):.2f} / {worst(2):.2f}")
    print(f"  launch -> first request at the simulator: {ms(row['start'])} ms"
          + (f"; self-warm took {', '.join(row['warm_ms'])}" if row["warm_ms"] else ""))
PY
java bench/CoreSpeed.java
