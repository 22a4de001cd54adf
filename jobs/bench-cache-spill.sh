#!/usr/bin/env bash
# What a cached loss record costs (a benchmark, not a test): its size in memory as Spark
# charges a deserialized block, and through Spark's Java and Kryo serializers its serialized
# size and the time to spill it to a file and read it back. See BENCHMARKS.md.
#   jobs/bench-cache-spill.sh [WORK_DIR (target/bench-cache)] [IMAGES (24)] [REPEATS (5)]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
echo "bench-cache-spill: building (mvn -B -q -DskipTests package)..." >&2
mvn -B -q -DskipTests package >&2
mapfile -t FLAGS < jobs/lib/jvm-flags
exec java -Xmx${OHEM_BENCH_HEAP:-3g} "${FLAGS[@]}" "-Dlog4j2.configurationFile=file:$ROOT/conf/log4j2.properties" \
  -cp "target/classes:target/test-classes:target/jars/*" \
  org.ohemspark.bench.CacheSpillBenchmark "$@"
