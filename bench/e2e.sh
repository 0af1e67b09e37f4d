#!/usr/bin/env bash
# End-to-end benchmarks of the client against the built-in simulator running in a separate process (so the
# client's CPU is measured alone), printed as one table:
#   parse-rate c=1, c=8  openai-chat, simulator all out (each body encoded once, written as fast as the socket
#                        takes it, one token per event): streamed tokens/s and client CPU µs per token
#                        (run.json's client_cpu_seconds: process CPU from the run's start to its last record written,
#                        warm-up included, divided by every token in requests.jsonl; then "warm": the CPU per
#                        token from the end of the warm-up to the end, sampled from /proc, without the JIT's
#                        start-up compiling)
#   streams c=1000       1,000 concurrent openai-chat streams at 100 tokens/s: requests ok, TTFT error vs the
#                        simulator's log (sim --log: when each event was written), stream TPS error vs the log, and
#                        heap per open stream (live heap with 1,000 streams open minus with 1 open, / 999; jcmd
#                        GC.class_histogram on the client process, whose histogram stays in target/bench/e2e).
#                        Streams start as a Poisson process at 250/s, so their events are not in lockstep
#   together c=1000      1,000 openai-chat streams started together from a fresh process (closed loop, no warm-up,
#                        2,000 requests: two waves), at 20 and at 100 tokens/s each (TOGETHER_TOKENS tokens a stream),
#                        under a loopback capture (tcpdump; bench/wire.sh explains the clock map): per wave, the
#                        TTFT error and its client part (t_send -> the request on the wire, plus the first token's
#                        segment on the wire -> tokenbench seeing it), the server's parts, and the stream TPS error,
#                        all against the simulator's log (bench/wire_figures.py legs)
# A benchmark, not a test: run it on a quiet machine, compare figures taken in the same run. The last line,
# bench/CoreSpeed.java, says how contended the host's cores were (CPU figures grow with it).
# Settings (environment): PORT, TOKENS (per parse-rate response), REQUESTS_1 / REQUESTS_8 (parse-rate requests),
# STREAM_TOKENS (per 100 tokens/s stream), STREAM_ESTIMATE (their estimate-output-tokens: always, the default, or
# without-usage: the simulator reports usage, so the tokenizer then stays idle), SKIP_PARSE=1, SKIP_STREAMS=1 or
# SKIP_TOGETHER=1 to leave a part out, TOGETHER_TOKENS (per stream started together, default 100), CLIENT_OPTS (JVM
# options of the client, e.g. -XX:+FlightRecorder -XX:StartFlightRecording=filename=x.jfr), APP (the quarkus-app
# folder the client runs from, default target/quarkus-app: a copy of an earlier build compares before and after).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
port=${PORT:-18431}
tokens=${TOKENS:-4000}
requests_1=${REQUESTS_1:-1500}
requests_8=${REQUESTS_8:-3000}
stream_tokens=${STREAM_TOKENS:-1000}
stream_estimate=${STREAM_ESTIMATE:-always}
together_tokens=${TOGETHER_TOKENS:-100}
app=${APP:-target/quarkus-app}
work=target/bench/e2e
rm -rf "$work"
mkdir -p "$work"
./tokenbench --version >/dev/null   # builds the jar when needed
jar=target/quarkus-app/quarkus-run.jar

cat >"$work/sim.yaml" <<YAML
name: e2e-simulator
targets:
  - {name: unused, api: openai-chat, base-url: 'sim://allout/v1', model: sim}
prompts: {synthetic: {input-tokens: 32, output-tokens: 16, count: 1}}
simulator:
  scenarios:
    allout: {all-out: true, tokens-per-chunk: 1}
    paced: {ttft: 200ms, tokens-per-second: 100, jitter: 0.1}
    paced20: {ttft: 200ms, tokens-per-second: 20, jitter: 0.1}
YAML

# The simulator gets a core's worth of event loop; it runs until this script exits.
java -XX:+UseZGC -jar "$jar" sim --config "$work/sim.yaml" --port "$port" --log "$work/sim-log.jsonl" \
  >"$work/sim.out" 2>&1 &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true' EXIT
await_listening "$work/sim.out"

client() { # plan-file out-dir: starts the client in its own JVM; its PID goes to client_pid
  java -XX:+UseZGC ${CLIENT_OPTS:-} -jar "$app/quarkus-run.jar" run "$1" --out "$2" -q >"$2.log" 2>&1 &
  client_pid=$!
}

sample_cpu() { # pid out-dir: every 0.1 s until the client exits, its CPU ticks (user, system) and the records it
  # has written so far and the time (µs), so that e2e_figures.py can also give the CPU per token once warmed up (the JIT compiles
  # for seconds at the start of a JVM; that CPU is the client's too, but not a cost per token)
  local st lines
  while [ -r "/proc/$1/stat" ]; do
    read -r -a st <"/proc/$1/stat" 2>/dev/null || break
    lines=$(wc -l <"$2/requests.jsonl" 2>/dev/null || echo 0)
    echo "${st[13]} ${st[14]} $lines ${EPOCHREALTIME/./}" >>"$2.cpu"
    sleep 0.1
  done
}

parse_plan() { # concurrency requests estimate-output-tokens
  cat >"$work/parse-c$1-$3.yaml" <<YAML
name: parse-rate-c$1
targets:
  - {name: allout, api: openai-chat, base-url: 'http://127.0.0.1:$port/allout/v1', model: sim,
     estimate-output-tokens: $3}
prompts: {synthetic: {input-tokens: 32, output-tokens: $tokens, count: 4}}
load: {mode: closed, concurrency: $1, requests: $2, warmup: $((50 * $1)), timeout: 120s, stall-timeout: 30s}
YAML
}

streams_plan() { # concurrency warmup rate: Poisson arrivals, so that the streams' events are not in lockstep
  cat >"$work/streams-c$1.yaml" <<YAML
name: streams-c$1
targets:
  - {name: paced, api: openai-chat, base-url: 'http://127.0.0.1:$port/paced/v1', model: sim,
     estimate-output-tokens: $stream_estimate}
prompts: {synthetic: {input-tokens: 32, output-tokens: $stream_tokens, count: 8}}
load: {mode: open, rate: $3, arrival: poisson, seed: 1, concurrency: $1, requests: $1, warmup: $2, timeout: 120s,
       stall-timeout: 30s}
YAML
}

open_connections() { # connections established to the simulator's port
  ss -Htn state established "( dport = :$port )" | wc -l
}

rows=()
if [ "${SKIP_PARSE:-0}" != 1 ]; then
  # without-usage: the tokenizer counts a response only when it reports no usage (the simulator's does);
  # always (the default): every response's text is also counted, which costs the tokenizer's CPU per token.
  for run in 1:without-usage 8:without-usage 8:always; do
    c=${run%%:*}
    estimate=${run#*:}
    r=$([ "$c" = 1 ] && echo "$requests_1" || echo "$requests_8")
    parse_plan "$c" "$r" "$estimate"
    client "$work/parse-c$c-$estimate.yaml" "$work/parse-c$c-$estimate"
    sample_cpu "$client_pid" "$work/parse-c$c-$estimate" &
    sampler=$!
    wait "$client_pid" || true
    wait "$sampler" || true
    rows+=("$(python3 bench/e2e_figures.py parse "$work/parse-c$c-$estimate" "$c" "$estimate" "$(getconf CLK_TCK)")")
  done
fi

live_heap_bytes() { # pid: bytes of live objects (jcmd GC.class_histogram collects first and counts only live ones;
  # "used after GC" would also count what the streams allocate while a concurrent collection runs)
  jcmd "$1" GC.class_histogram > "$work/histogram-$1.txt"
  awk '/^Total/ {print $3}' "$work/histogram-$1.txt"
}

if [ "${SKIP_STREAMS:-0}" != 1 ]; then
  # Heap with 1 and with 1,000 streams open, each measured mid-stream (streams last STREAM_TOKENS / 100 s).
  declare -A heap
  # c=1000 warms up with 100 streams first (the JIT), then starts its 1,000 over about 4 s (250/s), a third of a
  # stream's length, so that all 1,000 are open together for most of a stream.
  # The heap probe stops the client for a heap walk (seconds on a busy host), so the accuracy figures come from a
  # run of their own, without it.
  for run in 1:0:1:heap 1000:100:250:heap 1000:1000:250:accuracy; do
    IFS=: read -r c warmup rate purpose <<<"$run"
    streams_plan "$c" "$warmup" "$rate"
    client "$work/streams-c$c.yaml" "$work/streams-c$c-$purpose"
    pid=$client_pid
    if [ "$purpose" = heap ]; then
      # Once all c connections are open (the last stream has just started, the first is a third through).
      until [ "$(open_connections)" -ge "$c" ] || ! kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
      heap[$c]=$(live_heap_bytes "$pid" || echo 0)
    fi
    wait "$pid" || true
  done
  rows+=("$(python3 bench/e2e_figures.py streams "$work/streams-c1000-accuracy" 1000 "$work/sim-log.jsonl" \
    "${heap[1]}" "${heap[1000]}")")
fi

together_plan() { # tokens-per-second scenario: 1,000 streams started at once, two waves, no warm-up
  cat >"$work/together-$1.yaml" <<YAML
name: together-$1
targets:
  - {name: together, api: openai-chat, base-url: 'http://127.0.0.1:$port/$2/v1', model: sim,
     estimate-output-tokens: $stream_estimate}
prompts: {synthetic: {input-tokens: 32, output-tokens: $together_tokens, count: 8}}
load: {mode: closed, concurrency: 1000, requests: 2000, warmup: 0, timeout: 120s, stall-timeout: 30s}
YAML
}

if [ "${SKIP_TOGETHER:-0}" != 1 ]; then
  if ! command -v tcpdump >/dev/null; then
    rows+=("together c=1000: skipped, it needs tcpdump (Debian: apt-get install -y tcpdump)")
  else
    for run in 20:paced20 100:paced; do
      IFS=: read -r tps scenario <<<"$run"
      together_plan "$tps" "$scenario"
      name="together-$tps"
      start_capture "$work/$name" "$port" 262144
      python3 bench/wire_figures.py offset >"$work/$name.offsets"
      client "$work/$name.yaml" "$work/$name"
      wait "$client_pid" || true
      python3 bench/wire_figures.py offset >>"$work/$name.offsets"
      sleep 0.5
      stop_capture
      dropped=$(grep -E '^[1-9][0-9]* packets dropped by kernel' "$work/$name.tcpdump" || true)
      ok=$(grep -c '"ok":true' "$work/$name/requests.jsonl" || true)
      rows+=("together c=1000 at $tps tokens/s: $ok/2000 ok${dropped:+; tcpdump: $dropped}")
      rows+=("$(python3 bench/wire_figures.py legs "$work/$name.pcap" "$port" "$work/$name.offsets" \
        "$work/sim-log.jsonl" "$work/$name" "together c=1000 at $tps tokens/s" 1000 | grep -v ' all: ')")
    done
  fi
fi

printf '%-14s %s\n' run "figures"
for row in "${rows[@]}"; do
  echo "$row"
done
java bench/CoreSpeed.java
