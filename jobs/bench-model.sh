#!/usr/bin/env bash
# Images per second per core of ohem-mine --model's model part (decode, preprocess, ONNX
# Runtime on one thread) next to the loss pass alone, on the real PAN model at 512x512, timed
# by thread CPU time. A benchmark, not a test. See BENCHMARKS.md.
#   jobs/bench-model.sh [PAN_DIR (../shared/data/real/pan_skin_clothes_hair)] [ROUNDS (10)]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
echo "bench-model: building (mvn -B -q -DskipTests package test-compile)..." >&2
mvn -B -q -DskipTests package test-compile >&2
mapfile -t FLAGS < jobs/lib/jvm-flags
exec java -Xmx2g "${FLAGS[@]}" -cp "target/classes:target/test-classes:target/jars/*" \
  org.ohemspark.bench.ModelInferenceBench "$@"
