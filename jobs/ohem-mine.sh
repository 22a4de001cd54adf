#!/usr/bin/env bash
# OHEM cross-entropy and hard examples over a dataset (directory, Parquet shards or tars).
#   jobs/ohem-mine.sh [--input DIR] [--output DIR] [--thresh 0.7] [--factor 16]
#     [--ignore-index 255] [--label-convention train_ids|palette_index|reduce_zero_label|void=K]
#     [--min-kept N] [--label-smoothing E] [--align-corners] [--topk exact|approx]
#     [--classes N] [--class-weights W,W,...] [--group-by dataset|image|batch] [--batches FILE]
#     [--masks none|png] [--no-report] [--report-images N] [--partitions N]
#     [--partition-bytes 64m]
#     [--format auto|dir|parquet|webdataset] [--mode FAILFAST|PERMISSIVE|DROPMALFORMED]
#     [--model MODEL.onnx [--model-json FILE] [--model-param K=V ...] [--model-batch N]
#      [--model-threads N] [--save-logits DIR [--save-logits-dtype float32|float16]]]
#     [--output-file-size 128m] [--no-report] [--report-images 24] [--overwrite] [--conf FILE]
#     [Spark options: --master URL, --deploy-mode client|cluster, --conf spark.k=v, ...]
# Exit codes: 0 ok, 1 failure, 2 bad arguments, 3 bad input data. See docs/bad-input.md.
set -euo pipefail
source "$(dirname "$0")/lib/submit.sh"
ohem_submit org.ohemspark.job.OhemMineJob "$OHEM_ROOT/conf/ohem-spark.properties" "$@"
