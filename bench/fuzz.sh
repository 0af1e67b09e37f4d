#!/usr/bin/env bash
# Coverage-guided fuzzing on demand (Jazzer). `mvn verify` only replays the seed corpora; this fuzzes each
# target for real, one after the other: bench/fuzz.sh [DURATION] [TARGET...]
#   DURATION  per target, as Jazzer reads it (default 10m), e.g. 30s, 5m
#   TARGET    Class#method (default: all ten: the SSE framer, the event-stream framer, the eight API decoders)
# Runs at the lowest CPU priority. A finding stops its target, is written as a crash-* file into the target's
# seed directory under src/test/resources (so `mvn verify` replays it from then on) and fails the script.
# The generated corpus is kept in .cifuzz-corpus/ (not committed) and reused by the next run. Logs: target/fuzz/.
set -uo pipefail
cd "$(dirname "$0")/.."
duration="${1:-10m}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(SseFramerFuzzTest#framesLikeTheSpecWhateverTheReads EventStreamFramerFuzzTest#framesTheSameWhateverTheReads)
  for api in openaiChat openaiResponses azureOpenai azureOpenaiResponses anthropic gemini vertexGemini bedrockConverse; do
    targets+=("DecoderFuzzTest#$api")
  done
fi
mkdir -p target/fuzz
mvn -B -q -o -DskipTests test-compile || mvn -B -q -DskipTests test-compile || exit 3
status=0
for t in "${targets[@]}"; do
  log="target/fuzz/${t/\#/.}.log"
  start=$(date +%s)
  # A bounded heap: a fuzzing JVM left to the default (a quarter of RAM) was OOM-killed beside other jobs.
  JAZZER_FUZZ=1 nice -n 19 mvn -B -q -o surefire:test@fuzz-regression -Dtest="$t" \
    -Djazzer.max_duration="$duration" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dtest.jvm.args="-XX:+UseZGC -Xms256m -Xmx1g" >"$log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  done_line=$(grep -o 'Done [0-9]* runs in [0-9]* second(s)' "$log" | tail -n 1)
  if [ $rc -eq 0 ]; then
    echo "fuzz $t: ${secs}s wall, no finding (${done_line:-no libFuzzer summary})"
  else
    echo "fuzz $t: FINDING or failure after ${secs}s, see $log"
    status=1
  fi
done
exit $status
