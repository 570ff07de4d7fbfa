#!/usr/bin/env bash
# Benchmark harness: bench/run.sh quick|full|jmh
#   quick|full: builds what it needs with the Maven wrapper, runs every scenario in one JVM (the scale scenario's
#   servers in two more JVMs) and writes latest.json, latest.md and PNG plots. `full` also keeps a dated copy of the
#   JSON. quick: about 3.5 minutes on 2 cores; full: about 13. See bench/README.md.
#   jmh: the JMH microbenchmarks (send path, inbound dispatch), written to jmh.json and jmh.txt; about 2 minutes.
# Extra arguments are passed on, e.g. `bench/run.sh quick only=storm,detection` for some scenarios while developing.
# BENCH_RESULTS=<dir> writes somewhere else than bench/results (e.g. to keep the committed run untouched).
set -euo pipefail

MODE="${1:-quick}"
shift || true
case "$MODE" in
  quick|full|jmh) ;;
  *) echo "usage: bench/run.sh quick|full|jmh [only=scale,overhead,storm,detection,recovery,compression,startup]" >&2; exit 2 ;;
esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RESULTS="${BENCH_RESULTS:-$ROOT/bench/results}"
mkdir -p "$RESULTS"
START=$(date +%s)

# Formatting is checked by the build, not by the benchmark.
PROFILE=()
if [ "$MODE" = jmh ]; then PROFILE=(-Pjmh); fi
echo "[bench] building benchmarks and the modules it needs (tests skipped)" >&2
./mvnw -q -B "${PROFILE[@]}" -pl benchmarks -am package -Dmaven.test.skip=true -Dspring-javaformat.skip=true
CLASSPATH_FILE="$ROOT/benchmarks/target/classpath.txt"
CP="$ROOT/benchmarks/target/classes:$(cat "$CLASSPATH_FILE")"

if [ "$MODE" = jmh ]; then
  # One fork per benchmark and parameter, 3 x 2 s warm-up, 5 x 2 s measurement (see the classes' annotations).
  java -cp "$CP" org.openjdk.jmh.Main -rf json -rff "$RESULTS/jmh.json" "$@" 'io.connectionmanager.bench.jmh.*' \
    | tee "$RESULTS/jmh.txt"
  echo "[bench] done in $(( $(date +%s) - START )) s: $RESULTS/jmh.json, jmh.txt" >&2
  exit 0
fi

COMMIT="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
DIRTY=false
if [ -n "$(git status --porcelain 2>/dev/null)" ]; then DIRTY=true; fi

# The scale scenario holds up to 19,000 sockets in this JVM (the hard limit here is 20,000 per process); its servers
# split them between two other processes.
ulimit -n 20000 2>/dev/null || true
echo "[bench] open-files limit $(ulimit -n); running '$MODE'" >&2

java -Xms1g -Xmx2g -XX:+UseG1GC -Djava.awt.headless=true ${BENCH_JAVA_OPTS:-} \
  -cp "$CP" io.connectionmanager.bench.BenchMain "$MODE" "$RESULTS" "$COMMIT" "$DIRTY" "$@"

if [ "$MODE" = full ]; then
  cp "$RESULTS/latest.json" "$RESULTS/full-$(date -u +%Y-%m-%d).json"
fi
echo "[bench] done in $(( $(date +%s) - START )) s: $RESULTS/latest.json, latest.md, *.png" >&2
