#!/usr/bin/env bash
# Benchmark harness: bench/run.sh quick|full
#   Builds what it needs with the Maven wrapper, runs every scenario in one JVM (the scale scenario's server in a
#   second JVM) and writes bench/results/latest.json, latest.md and PNG plots. `full` also keeps a dated copy of the
#   JSON. quick: under 5 minutes on 2 cores; full: under 30. See bench/README.md.
# Extra arguments are passed on, e.g. `bench/run.sh quick only=storm,detection` for one scenario while developing.
set -euo pipefail

MODE="${1:-quick}"
shift || true
case "$MODE" in
  quick|full) ;;
  *) echo "usage: bench/run.sh quick|full [only=scale,overhead,storm,detection,recovery]" >&2; exit 2 ;;
esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RESULTS="$ROOT/bench/results"
mkdir -p "$RESULTS"
START=$(date +%s)

echo "[bench] building benchmarks and the modules it needs (tests skipped)" >&2
./mvnw -q -B -pl benchmarks -am package -Dmaven.test.skip=true
CLASSPATH_FILE="$ROOT/benchmarks/target/classpath.txt"
CP="$ROOT/benchmarks/target/classes:$(cat "$CLASSPATH_FILE")"

COMMIT="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
DIRTY=false
if [ -n "$(git status --porcelain 2>/dev/null)" ]; then DIRTY=true; fi

# The scale scenario holds up to 10,000 sockets in this JVM (and as many in the server's).
ulimit -n 20000 2>/dev/null || true
echo "[bench] open-files limit $(ulimit -n); running '$MODE'" >&2

java -Xms1g -Xmx2g -XX:+UseG1GC -Djava.awt.headless=true \
  -cp "$CP" io.connectionmanager.bench.BenchMain "$MODE" "$RESULTS" "$COMMIT" "$DIRTY" "$@"

if [ "$MODE" = full ]; then
  cp "$RESULTS/latest.json" "$RESULTS/full-$(date -u +%Y-%m-%d).json"
fi
echo "[bench] done in $(( $(date +%s) - START )) s: $RESULTS/latest.json, latest.md, *.png" >&2
