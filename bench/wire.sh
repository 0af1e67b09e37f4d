#!/usr/bin/env bash
# Wire times: where a request's send leg and its first token's leg spend their time, split by a packet capture on
# loopback into the client's part and the server's part. tokenbench runs closed loop against the built-in simulator
# in a separate process (as bench/e2e.sh); tcpdump records every segment to and from the simulator's port.
#   send leg     t_send (requests.jsonl) -> the request's first byte on the wire (client) -> the simulator's
#                received_ns (server; sim --log); the capture finds a request by its x-request-id header
#   first token  the simulator's first_token_written_ns -> its first segment on that connection at or after the
#                stamp (server) -> tokenbench's t_first_token (client)
# and the client's part of the TTFT error (send + first token), p50/p99/max per concurrency, in ms.
#
# Clocks: tokenbench and the simulator stamp with System.nanoTime(), which on Linux is CLOCK_MONOTONIC, one clock
# for both processes; tcpdump stamps with CLOCK_REALTIME (--time-stamp-precision=nano: the kernel's stamp when the
# segment passes the capture tap in the sender's write, with nanoseconds). The map between them is one offset,
# CLOCK_REALTIME - CLOCK_MONOTONIC, read by bench/wire_figures.py offset before and after the capture (of 2,000
# back-to-back reads, the pair read closest together: within a microsecond or two). Its error: that bracket, plus
# any step or slew of the realtime clock against the monotonic one during the run (NTP); the figures print both
# (the drift between the two reads). Both are microseconds, far below the 50 µs this measures.
#
# Needs tcpdump (Debian: apt-get install -y tcpdump) and the right to capture (root or CAP_NET_RAW).
# A benchmark, not a test; the capture itself costs CPU, so run it on a quiet machine.
# Settings (environment): PORT, CONCURRENCY (a list, default "4"), REQUESTS (per concurrency, default 1000),
# WARMUP (default 200), TOKENS (per response, default 16), TPS (simulator tokens/s, default 400), TTFT (default
# 20ms), APPS (quarkus-app folders to compare, run alternately, default target/quarkus-app), ROUNDS (default 1),
# CLIENT_OPTS (the client's JVM options), NICE (e.g. -15 as root: the simulator, tcpdump and the client run at that
# niceness, which on a host busy with other work comes closer to a quiet machine; default 0).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
command -v tcpdump >/dev/null || { echo "wire.sh needs tcpdump: apt-get install -y tcpdump (Debian)" >&2; exit 2; }
port=${PORT:-18441}
concurrencies=${CONCURRENCY:-4}
requests=${REQUESTS:-1000}
warmup=${WARMUP:-200}
tokens=${TOKENS:-16}
tps=${TPS:-400}
ttft=${TTFT:-20ms}
rounds=${ROUNDS:-1}
nice=(nice -n "${NICE:-0}")
work=target/bench/wire
rm -rf "$work"
mkdir -p "$work"
./tokenbench --version >/dev/null   # builds the jar when needed
apps=${APPS:-target/quarkus-app}

cat >"$work/sim.yaml" <<YAML
name: wire-simulator
targets:
  - {name: unused, api: openai-chat, base-url: 'sim://paced/v1', model: sim}
prompts: {synthetic: {input-tokens: 32, output-tokens: 16, count: 1}}
simulator:
  scenarios:
    paced: {ttft: $ttft, tokens-per-second: $tps}
YAML

"${nice[@]}" java -XX:+UseZGC -jar target/quarkus-app/quarkus-run.jar sim --config "$work/sim.yaml" --port "$port" \
  --log "$work/sim-log.jsonl" >"$work/sim.out" 2>&1 &
sim_pid=$!
dump_pid=
trap 'kill "$sim_pid" 2>/dev/null || true; [ -z "$dump_pid" ] || kill "$dump_pid" 2>/dev/null || true' EXIT
await_listening "$work/sim.out"

rows=()
for round in $(seq 1 "$rounds"); do
  for c in $concurrencies; do
    a=0
    for app in $apps; do
      a=$((a + 1))
      name="c$c-app$a-r$round"
      cat >"$work/$name.yaml" <<YAML
name: wire-$name
targets:
  - {name: paced, api: openai-chat, base-url: 'http://127.0.0.1:$port/paced/v1', model: sim}
prompts: {synthetic: {input-tokens: 32, output-tokens: $tokens, count: 4}}
load: {mode: closed, concurrency: $c, requests: $requests, warmup: $warmup, timeout: 60s, stall-timeout: 30s}
YAML
      start_capture "$work/$name" "$port" 65536 "${nice[@]}"
      python3 bench/wire_figures.py offset >"$work/$name.offsets"
      "${nice[@]}" java -XX:+UseZGC ${CLIENT_OPTS:-} -jar "$app/quarkus-run.jar" run "$work/$name.yaml" --out "$work/$name" -q \
        >"$work/$name.log" 2>&1 || true
      python3 bench/wire_figures.py offset >>"$work/$name.offsets"
      sleep 0.3
      stop_capture
      dump_pid=
      # A capture that lost segments is still read; say so next to its figures.
      grep -E '^[1-9][0-9]* packets dropped by kernel' "$work/$name.tcpdump" | sed "s/^/$name: tcpdump: /" >&2 || true
      rows+=("$(python3 bench/wire_figures.py legs "$work/$name.pcap" "$port" "$work/$name.offsets" \
        "$work/sim-log.jsonl" "$work/$name" "$name ($app)")")
    done
  done
done
for row in "${rows[@]}"; do
  echo "$row"
done
