#!/usr/bin/env bash
# All tests, as CI runs them. First every Quarkus native build step, without GraalVM (sources only: it writes
# target/native-sources/, the native-image arguments and the reflection and resource registrations), so a change
# that breaks the native configuration fails here; then the unit and integration tests, which check those
# registrations (NativeSourcesIT) among everything else. Two Maven runs: with -Dnative, verify would look for a
# native executable that sources-only never builds.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q package -Dnative -Dquarkus.native.sources-only=true -DskipTests
mvn -B verify "$@"
