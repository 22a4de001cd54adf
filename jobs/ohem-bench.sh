#!/usr/bin/env bash
# End-to-end benchmark: generates model-like datasets of 1x, 4x and 16x pixels
# (jobs/ohem-generate.sh) and runs the whole ohem-mine job on each; optionally the same OHEM in
# PyTorch on the same files. Prints wall time, pixels/s per core, passes over the data, the
# top-k refinement against the first pass and peak heaps, and adds rows to BENCHMARKS.md.
#
#   jobs/ohem-bench.sh [--sizes "1 4 16"] [--images-per-unit 16] [--height 512] [--width 512]
#     [--classes 19] [--dtype float32|float16] [--downsample 1] [--data DIR (out/bench)]
#     [--master 'local[2]'] [--driver-memory 8g] [--vs-pytorch] [--install-pytorch]
#     [--no-record] [--label TEXT]
#
# --vs-pytorch: on the largest size, also runs jobs/lib/ohem_pytorch.py (one thread, float32,
#   the rule of shared/tools/golden.py) and ohem-mine with --master 'local[1]', and prints both
#   times, both results and their ratio. --install-pytorch: apt-get installs python3-torch
#   (Debian) when /usr/bin/python3 cannot import torch.
# Datasets are kept under --data and reused when their dataset.json matches. Each timed run
# starts with the dataset read once into the page cache (both the job's and PyTorch's), so
# the figures are compute and Spark, not this machine's disk.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZES="1 4 16"; UNIT=16; H=512; W=512; C=19; DTYPE=float32; DS=1
DATA="$ROOT/out/bench"; MASTER='local[2]'; DRIVER_MEM=8g
VS_TORCH=""; INSTALL_TORCH=""; RECORD=yes; LABEL=$(date -u +%Y-%m-%d)
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --images-per-unit) UNIT="$2"; shift 2 ;;
    --height) H="$2"; shift 2 ;;
    --width) W="$2"; shift 2 ;;
    --classes) C="$2"; shift 2 ;;
    --dtype) DTYPE="$2"; shift 2 ;;
    --downsample) DS="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --master) MASTER="$2"; shift 2 ;;
    --driver-memory) DRIVER_MEM="$2"; shift 2 ;;
    --vs-pytorch) VS_TORCH=yes; shift ;;
    --install-pytorch) INSTALL_TORCH=yes; shift ;;
    --no-record) RECORD=""; shift ;;
    --label) LABEL="$2"; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "ohem-bench: unknown option $1" >&2; exit 2 ;;
  esac
done
source "$ROOT/jobs/lib/submit.sh"
ohem_build_if_needed  # before any timing: a stale jar would otherwise be rebuilt inside a run
# and the driver's class-data archive (jobs/lib/submit.sh) likewise: a run that records it
# spends seconds writing it at exit, so one untimed run on the built-in sample records it first
if [ "${OHEM_CDS:-1}" != 0 ] && ! [ "$ROOT/target/ohem-driver.jsa" -nt "$ROOT/target/ohem-spark.jar" ]; then
  "$ROOT/jobs/ohem-mine.sh" --master 'local[1]' --input "$ROOT/samples/tiny" \
    --output "$DATA/.cds-run" --overwrite > /dev/null 2>&1 || true
fi
PY=/usr/bin/python3
REPORT="$ROOT/jobs/lib/bench_report.py"
BENCH_MD="$ROOT/BENCHMARKS.md"
mkdir -p "$DATA"

cores_of() {
  case "$1" in
    local\[\*\]|local) nproc ;;
    local\[*\]) echo "$1" | sed 's/local\[\([0-9]*\).*/\1/' ;;
    *) echo "${OHEM_BENCH_CORES:-2}" ;;  # a cluster: pass the executor cores in the env
  esac
}

if [ -n "$VS_TORCH" ] && ! "$PY" -c 'import torch, numpy' 2>/dev/null; then
  if [ -n "$INSTALL_TORCH" ]; then
    echo "ohem-bench: installing Debian's python3-torch (apt-get)..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch \
      python3-numpy python3-pil >&2
  else
    echo "ohem-bench: --vs-pytorch needs PyTorch in $PY (Debian python3-torch); add" \
      "--install-pytorch to apt-get install it" >&2
    exit 2
  fi
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB RAM; load average $(cut -d' ' -f1-3 /proc/loadavg)"

warm() {  # reads a dataset once so that every timed run finds it in the page cache
  find "$1" -type f -exec cat {} + > /dev/null
}

run_mine() {  # DATASET_DIR MASTER OUT LOG -> prints figures JSON
  local ds="$1" master="$2" out="$3" log="$4" t0 t1
  warm "$ds"
  t0=$(date +%s.%N)
  "$ROOT/jobs/ohem-mine.sh" --input "$ds" --output "$out" --overwrite --master "$master" \
    --driver-memory "$DRIVER_MEM" --conf spark.executor.metrics.pollingInterval=100ms \
    --conf spark.ui.enabled=false > "$log" 2> "$log.err" || {
      echo "ohem-bench: ohem-mine failed, see $log.err" >&2; tail -5 "$log.err" >&2; exit 1; }
  t1=$(date +%s.%N)
  "$PY" "$REPORT" mine "$log" "$(awk -v a="$t1" -v b="$t0" 'BEGIN{printf "%.3f", a-b}')" "$(cores_of "$master")"
}

last_ds=""; last_fig=""
for s in $SIZES; do
  n=$((UNIT * s))
  ds="$DATA/c$C-$DTYPE-${H}x$W-d$DS-n$n"
  want="\"images\" : $n,"
  if [ ! -f "$ds/dataset.json" ] || ! grep -q "$want" "$ds/dataset.json"; then
    echo "== generating ${s}x: $n images into $ds" >&2
    "$ROOT/jobs/ohem-generate.sh" --output "$ds" --overwrite --images "$n" --height "$H" \
      --width "$W" --classes "$C" --dtype "$DTYPE" --downsample "$DS" --master "$MASTER" \
      --driver-memory "$DRIVER_MEM" 2>"$DATA/generate.err" | tail -2 >&2
  fi
  sync
  echo "== ${s}x: ohem-mine --master $MASTER on $ds" >&2
  fig=$(run_mine "$ds" "$MASTER" "$DATA/out-$s" "$DATA/mine-$s.log")
  row=$("$PY" "$REPORT" row-e2e "$fig" "$ds/dataset.json" "$LABEL")
  [ -n "$RECORD" ] && "$PY" "$REPORT" insert "$BENCH_MD" "<!-- ohem-bench:end-to-end -->" "$row"
  last_ds="$ds"; last_fig="$fig"
done

if [ -n "$VS_TORCH" ]; then
  echo "== side by side on $last_ds" >&2
  fig1=$(run_mine "$last_ds" 'local[1]' "$DATA/out-local1" "$DATA/mine-local1.log")
  warm "$last_ds"
  t0=$(date +%s.%N)
  "$PY" "$ROOT/jobs/lib/ohem_pytorch.py" --input "$last_ds" --threads 1 > "$DATA/pytorch.json"
  t1=$(date +%s.%N)
  wall=$(awk -v a="$t1" -v b="$t0" 'BEGIN{printf "%.3f", a-b}')
  name=$(basename "$last_ds")
  for f in "$fig1" "$last_fig"; do
    row=$("$PY" "$REPORT" row-torch "$f" "$DATA/pytorch.json" "$wall" "$name" "$LABEL")
    [ -n "$RECORD" ] && "$PY" "$REPORT" insert "$BENCH_MD" "<!-- ohem-bench:pytorch -->" "$row"
  done
fi
