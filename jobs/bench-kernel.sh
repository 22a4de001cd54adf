#!/usr/bin/env bash
# JMH benchmarks of the cross-entropy kernel (src/test/java/org/ohemspark/bench), one thread.
#   jobs/bench-kernel.sh [JMH options...]
# Examples:
#   jobs/bench-kernel.sh                                  # all 16 parameter combinations (~6 min)
#   jobs/bench-kernel.sh -p classes=19 -p dtype=float32 -p resize=false -p impl=best
#   jobs/bench-kernel.sh -rf json -rff out/kernel.json    # machine-readable results
# Scores are ops/us with one op = one label pixel, that is Mpx/s on one core.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
CP_FILE="$ROOT/target/bench-classpath.txt"
# OHEM_SKIP_COMPILE=1 (jobs/ohem-bench.sh, which has just compiled): use the classes as built
if [ "${OHEM_SKIP_COMPILE:-0}" != 1 ] || [ ! -f "$CP_FILE" ]; then
  echo "bench-kernel: compiling (mvn -B -q test-compile)..." >&2
  mvn -B -q test-compile dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$CP_FILE" >&2
fi
mapfile -t jvm_flags < "$ROOT/jobs/lib/jvm-flags"
CP="$ROOT/target/test-classes:$ROOT/target/classes:$(cat "$CP_FILE")"
# The forked benchmark JVMs get the same flags as the Spark JVMs (Vector API module included).
jvm_args="${jvm_flags[*]} -Xmx2g"
exec java "${jvm_flags[@]}" -cp "$CP" org.openjdk.jmh.Main \
  -jvmArgs "$jvm_args" "${@:-CrossEntropyKernelBench}"
