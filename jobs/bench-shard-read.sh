#!/usr/bin/env bash
# Read throughput of Parquet shards (a benchmark, not a test): float16 / float32 logits, in
# the binary column (canonical) and as an array column, read back through ParquetShards on
# local[2]. Prints on-disk MB/s, label pixels/s and logit values/s. See BENCHMARKS.md.
#   jobs/bench-shard-read.sh [WORK_DIR (target/bench-shards)] [IMAGES (40)] [REPEATS (3)]
# Shards are generated once into WORK_DIR (about 300 MB in all) and reused; delete it to
# regenerate.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
echo "bench-shard-read: building (mvn -B -q -DskipTests package)..." >&2
mvn -B -q -DskipTests package >&2
mapfile -t FLAGS < jobs/lib/jvm-flags
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
exec java -Xmx4g "${FLAGS[@]}" "-Dlog4j2.configurationFile=file:$ROOT/conf/log4j2.properties" \
  -cp "target/classes:target/test-classes:target/jars/*" \
  org.ohemspark.bench.ShardReadBenchmark "$@"
