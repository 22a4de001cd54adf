#!/usr/bin/env bash
# A dataset directory or WebDataset tars to Parquet shards that jobs/ohem-mine.sh reads.
#   jobs/ohem-ingest.sh --input SRC --output SHARDS [--format auto|npy|webdataset|parquet]
#     [--target-file-mb 128] [--label-convention ...] [--classes N] [--ignore-index 255]
#     [--overwrite] [Spark options: --master URL, --conf spark.k=v, ...]
# Exit codes: 0 ok, 1 failure, 2 bad arguments, 3 bad input data. See docs/bad-input.md.
set -euo pipefail
source "$(dirname "$0")/lib/submit.sh"
ohem_submit org.ohemspark.job.OhemIngestJob "" "$@"
