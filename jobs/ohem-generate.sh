#!/usr/bin/env bash
# A deterministic, model-like segmentation dataset of any size, for benchmarks and demos.
#   jobs/ohem-generate.sh --output DIR --images N [--height 512] [--width 512] --classes C
#     [--dtype float32|float16] [--format npy|parquet] [--labels npy|png] [--downsample D]
#     [--margin 11] [--seed 0] [--partitions N] [--overwrite]
#     [Spark options: --master URL, --driver-memory 4g, --conf spark.k=v, ...]
# Exit codes: 0 ok, 1 failure, 2 bad arguments. See docs/bad-input.md.
set -euo pipefail
source "$(dirname "$0")/lib/submit.sh"
ohem_submit org.ohemspark.job.OhemGenerateJob "" "$@"
