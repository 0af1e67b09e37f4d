#!/usr/bin/env bash
# JMH benchmarks of the streaming hot path (framers, decoders), run on demand; they compile with the tests but
# never run in `mvn verify`. Extra arguments go to JMH, e.g. `bench/jmh.sh -prof gc` for bytes per event, or
# `bench/jmh.sh SseFramerBenchmark`. Benchmarks: SseFramerBenchmark, StreamDecodeBenchmark (openai-chat, anthropic,
# bedrock-converse), RecorderBenchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests test-compile
mvn -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt
exec java -XX:+UseZGC -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
  org.openjdk.jmh.Main "${@:-dev.tokenbench.bench}"
