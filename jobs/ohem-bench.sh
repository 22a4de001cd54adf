#!/usr/bin/env bash
# The benchmark of issue 13, in one run: is the whole job as fast per pixel as its kernel, and
# is its start-up Spark's own? Prints, and records in BENCHMARKS.md:
#   - the kernel's Mpx/s on one core (a short JMH run of CrossEntropyKernelBench, the dataset's
#     C and dtype, full size);
#   - ohem-mine on generated datasets of 1x, 4x, 16x images (all outputs written): wall times,
#     their linearity (the cost per pixel of each step within 15% of the first), the job's
#     marginal Mpx/s per core between the smallest and the largest, and its ratio to the kernel
#     (goal >= 0.5);
#   - per Spark job (loss pass, bad-record split, totals, each top-k pass, each output written):
#     executor run and CPU time in ns per label pixel, at the largest size and marginal, from
#     Spark's event log; GC time, bytes spilled, peak execution memory, peak JVM heap
#     (Spark's executor metrics) and the driver's peak heap (the job's own watch);
#   - the PyTorch script (jobs/lib/ohem_pytorch.py) on the same files with as many threads as
#     the job has cores: its marginal Mpx/s per core, and whether its counts equal the job's;
#   - start-up: a bare Spark session counting 1000 rows and writing one Parquet file
#     (src/test/java/org/ohemspark/bench/BareSparkSession.java, submitted as the job is) against
#     `jobs/ohem-mine.sh --input samples/tiny`, medians of alternating runs (goal: ratio <= 1.2);
#   - the library call in a warm session: OhemMiner twice in one JVM on the largest dataset
#     (WarmMinerBench), the second run timed.
#
#   jobs/ohem-bench.sh [--sizes "1 4 16"] [--images-per-unit 4] [--height 512] [--width 1024]
#     [--classes 19] [--dtype float16|float32] [--downsample 1] [--data DIR (out/bench)]
#     [--master 'local[2]'] [--driver-memory 2g] [--startup-runs 3] [--library-runs 2]
#     [--no-kernel] [--no-pytorch] [--no-startup] [--no-library] [--install-pytorch]
#     [--profile] [--no-record] [--label TEXT]
#
# The default (4, 16 and 64 images of 512x1024, C = 19 float16 npy: 80 MB, 320 MB, 1.3 GB of
# logits) takes about 4 minutes on a quiet 2-core machine, plus about a minute to generate the
# datasets the first time (kept under --data and reused when their dataset.json matches).
# `--sizes "1 9"` gives the issue's 4-and-36-image pair.
# --profile: after the timed runs, the largest dataset once more under JFR
#   (jobs/lib/jfr_profile.py: CPU by Spark job and category, hot methods, allocation, GC) and
#   jobs/lib/thread_cpu.py (CPU per thread: task threads, JIT compilers, GC, driver), the output
#   write probe (OutputWriteProbe: executor CPU of each output written in one warm session, and
#   of cheaper encodings of hard_pixels/) and the Spark-free step probe (LossPassProbe: read,
#   parse, decode, kernel, serialization, passes, in thread CPU time).
# --install-pytorch: apt-get installs python3-torch (Debian) when /usr/bin/python3 cannot import
#   torch; without it and without torch, the PyTorch figures are skipped.
# Every timed run starts with its dataset read once into the page cache (the job's and
# PyTorch's alike), so the figures are compute and Spark, not this machine's disk. Every figure
# is printed with the 1-minute load average before and after it: on a shared machine, compare
# ratios measured within one run.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZES="1 4 16"; UNIT=4; H=512; W=1024; C=19; DTYPE=float16; DS=1
DATA="$ROOT/out/bench"; MASTER='local[2]'; DRIVER_MEM=2g; STARTUP_RUNS=3; LIBRARY_RUNS=2
DO_KERNEL=yes; DO_TORCH=yes; DO_STARTUP=yes; DO_LIBRARY=yes; DO_PROFILE=""
INSTALL_TORCH=""; RECORD=yes; LABEL=$(date -u +%Y-%m-%d)
ARGS="$*"
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
    --startup-runs) STARTUP_RUNS="$2"; shift 2 ;;
    --library-runs) LIBRARY_RUNS="$2"; shift 2 ;;
    --no-kernel) DO_KERNEL=""; shift ;;
    --no-pytorch) DO_TORCH=""; shift ;;
    --vs-pytorch) shift ;;  # the PyTorch figures are part of every run now
    --no-startup) DO_STARTUP=""; shift ;;
    --no-library) DO_LIBRARY=""; shift ;;
    --profile) DO_PROFILE=yes; shift ;;
    --install-pytorch) INSTALL_TORCH=yes; shift ;;
    --no-record) RECORD=""; shift ;;
    --label) LABEL="$2"; shift 2 ;;
    -h|--help) sed -n '2,45p' "$0"; exit 0 ;;
    *) echo "ohem-bench: unknown option $1" >&2; exit 2 ;;
  esac
done
source "$ROOT/jobs/lib/submit.sh"
PY=/usr/bin/python3
LIB="$ROOT/jobs/lib"
mkdir -p "$DATA"
DATA=$(cd "$DATA" && pwd)
RUN="$DATA/run-$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$RUN"
load1() { cut -d' ' -f1 /proc/loadavg; }
now() { date +%s.%N; }
# CPU_NOW: CPU seconds (user + system) of this shell's finished children, their children
# included (the builtin `times`, run in this shell: a subshell would count its own children)
cpu_read() {
  times > "$RUN/.times"
  CPU_NOW=$(tail -1 "$RUN/.times" | awk '{s = 0; for (i = 1; i <= 2; i++) { split($i, a, "m");
    s += a[1] * 60 + substr(a[2], 1, length(a[2]) - 1) } printf "%.3f", s}')
}
# CPU_USED: CPU seconds since CPU_NOW was $1
cpu_used() { cpu_read; CPU_USED=$(awk -v a="$CPU_NOW" -v b="$1" 'BEGIN{printf "%.3f", a-b}'); }
elapsed() { awk -v a="$(now)" -v b="$1" 'BEGIN{printf "%.3f", a-b}'; }
warm() { find "$1" -type f -exec cat {} + > /dev/null; }  # into the page cache
# meta FILE key=value...: one JSON object of strings and numbers
meta() { local f="$1"; shift; "$PY" -c 'import json,sys
d={}
for a in sys.argv[2:]:
    k,v=a.split("=",1)
    try: d[k]=float(v) if any(c in v for c in ".e") else int(v)
    except ValueError: d[k]=v
json.dump(d,open(sys.argv[1],"w"))' "$f" "$@"; }
cores_of() {
  case "$1" in
    local\[\*\]|local) nproc ;;
    local\[*\]) echo "$1" | sed 's/local\[\([0-9]*\).*/\1/' ;;
    *) echo "${OHEM_BENCH_CORES:-2}" ;;  # a cluster: pass the executor cores in the env
  esac
}
CORES=$(cores_of "$MASTER")

echo "ohem-bench: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/{print $2}') GiB RAM; load average $(cut -d' ' -f1-3 /proc/loadavg); figures in $RUN" >&2
meta "$RUN/meta.json" "command=jobs/ohem-bench.sh $ARGS" "label=$LABEL" "master=$MASTER" \
  "cores=$CORES" "nproc=$(nproc)" "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')" \
  "ram_gib=$(free -g | awk '/Mem:/{print $2}')" "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')" \
  "dirty=$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo yes || echo no)" \
  "driver_memory=$DRIVER_MEM" "dtype=$DTYPE" "classes=$C" "height=$H" "width=$W" "downsample=$DS" \
  "load_start=$(load1)" "started=$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# Builds first, so that nothing is compiled inside a timed run: the jar, the test classes (the
# JMH benchmark, the bare session, the warm-session driver) and the driver's class-data archive.
ohem_build_if_needed
echo "== compiling the benchmarks (mvn -o test-compile)" >&2
(cd "$ROOT" && mvn -B -q -o test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$ROOT/target/bench-classpath.txt") >&2
BENCH_JAR="$ROOT/target/ohem-bench.jar"
(cd "$ROOT/target/test-classes" && jar cf "$BENCH_JAR" org/ohemspark/bench/*.class)
if [ "${OHEM_CDS:-1}" != 0 ] && ! [ "$ROOT/target/ohem-driver.jsa" -nt "$ROOT/target/ohem-spark.jar" ]; then
  "$ROOT/jobs/ohem-mine.sh" --master 'local[1]' --input "$ROOT/samples/tiny" \
    --output "$RUN/cds-run" --overwrite > /dev/null 2>&1 || true
fi

if [ -n "$DO_TORCH" ] && ! "$PY" -c 'import torch, numpy' 2>/dev/null; then
  if [ -n "$INSTALL_TORCH" ]; then
    echo "ohem-bench: installing Debian's python3-torch (apt-get)..." >&2
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch \
      python3-numpy python3-pil >&2
  else
    echo "ohem-bench: no PyTorch in $PY (Debian python3-torch): PyTorch figures skipped; add" \
      "--install-pytorch to apt-get install it" >&2
    DO_TORCH=""
  fi
fi

# 1. The kernel alone, one thread, the dataset's C and dtype at the label size.
if [ -n "$DO_KERNEL" ]; then
  echo "== kernel: JMH CrossEntropyKernelBench, C=$C $DTYPE, one thread (load $(load1))" >&2
  l0=$(load1)
  OHEM_SKIP_COMPILE=1 "$ROOT/jobs/bench-kernel.sh" CrossEntropyKernelBench -p classes="$C" \
    -p dtype="$DTYPE" -p resize=false -p impl=best -f 1 -wi 3 -w 1 -i 5 -r 1 -foe true \
    -rf json -rff "$RUN/kernel.json" > "$RUN/kernel.log" 2>&1 || {
      echo "ohem-bench: JMH failed, see $RUN/kernel.log" >&2; exit 1; }
  meta "$RUN/kernel.meta.json" "load_start=$l0" "load_end=$(load1)"
fi

# 2. The job on each size, with Spark's event log.
dataset_of() { echo "$DATA/c$C-$DTYPE-${H}x$W-d$DS-n$1"; }
for s in $SIZES; do
  n=$((UNIT * s))
  ds=$(dataset_of "$n")
  if [ ! -f "$ds/dataset.json" ] || ! grep -q "\"images\" : $n," "$ds/dataset.json"; then
    echo "== generating ${s}x: $n images into $ds" >&2
    "$ROOT/jobs/ohem-generate.sh" --output "$ds" --overwrite --images "$n" --height "$H" \
      --width "$W" --classes "$C" --dtype "$DTYPE" --downsample "$DS" --master "$MASTER" \
      --driver-memory "$DRIVER_MEM" 2>"$RUN/generate.err" | tail -2 >&2
  fi
done
mine() {  # TAG DATASET [extra args...]: one timed ohem-mine run, its log and event log in RUN
  local tag="$1" ds="$2" t0 l0 c0; shift 2
  rm -rf "$RUN/events-$tag"; mkdir -p "$RUN/events-$tag"
  warm "$ds"; sync
  l0=$(load1); cpu_read; c0=$CPU_NOW; t0=$(now)
  # thread_cpu.py: CPU per thread kind (tasks, JIT, GC, driver), polled from /proc 5 times a s
  "$PY" "$LIB/thread_cpu.py" --stdout "$RUN/mine-$tag.log" --stderr "$RUN/mine-$tag.err" \
    --json "$RUN/mine-$tag.threads.json" \
    "$ROOT/jobs/ohem-mine.sh" --input "$ds" --output "$RUN/out-$tag" --overwrite --master "$MASTER" \
    --driver-memory "$DRIVER_MEM" --conf spark.ui.enabled=false \
    --conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=file:$RUN/events-$tag" \
    --conf spark.eventLog.rolling.enabled=false --conf spark.eventLog.compress=false \
    --conf spark.eventLog.logStageExecutorMetrics=true \
    --conf spark.executor.metrics.pollingInterval=100ms "$@" > /dev/null || {
      echo "ohem-bench: ohem-mine failed, see $RUN/mine-$tag.err" >&2
      tail -5 "$RUN/mine-$tag.err" >&2; exit 1; }
  cpu_used "$c0"
  meta "$RUN/mine-$tag.meta.json" "wall_s=$(elapsed "$t0")" "cpu_s=$CPU_USED" "load_start=$l0" \
    "load_end=$(load1)" "dataset=$ds"
}
for s in $SIZES; do
  n=$((UNIT * s))
  echo "== ${s}x: ohem-mine --master $MASTER on $n images (load $(load1))" >&2
  mine "n$n" "$(dataset_of "$n")"
done
SMALL=$((UNIT * $(echo "$SIZES" | tr ' ' '\n' | sort -n | head -1)))
BIG=$((UNIT * $(echo "$SIZES" | tr ' ' '\n' | sort -n | tail -1)))

# 3. PyTorch on the smallest and the largest dataset, as many threads as the job's cores.
if [ -n "$DO_TORCH" ]; then
  for n in $(echo "$SMALL $BIG" | tr ' ' '\n' | sort -un); do
    ds=$(dataset_of "$n")
    echo "== PyTorch, $CORES threads, on $n images (load $(load1))" >&2
    warm "$ds"
    l0=$(load1); cpu_read; c0=$CPU_NOW; t0=$(now)
    "$PY" "$LIB/ohem_pytorch.py" --input "$ds" --threads "$CORES" > "$RUN/torch-n$n.json"
    cpu_used "$c0"
    meta "$RUN/torch-n$n.meta.json" "wall_s=$(elapsed "$t0")" "cpu_s=$CPU_USED" \
      "load_start=$l0" "load_end=$(load1)"
  done
fi

# 4. Start-up: a bare session against the job on samples/tiny, alternating (same launcher).
if [ -n "$DO_STARTUP" ]; then
  for i in $(seq 1 "$STARTUP_RUNS"); do
    echo "== start-up $i/$STARTUP_RUNS: bare Spark session, then ohem-mine samples/tiny (load $(load1))" >&2
    l0=$(load1); cpu_read; c0=$CPU_NOW; t0=$(now)
    (ohem_submit org.ohemspark.bench.BareSparkSession "" --master "$MASTER" --jars "$BENCH_JAR" \
      "$RUN/bare-out") > "$RUN/bare-$i.log" 2> "$RUN/bare-$i.err" || {
        echo "ohem-bench: bare session failed, see $RUN/bare-$i.err" >&2; exit 1; }
    cpu_used "$c0"
    meta "$RUN/startup-bare-$i.json" "wall_s=$(elapsed "$t0")" "cpu_s=$CPU_USED" \
      "load_start=$l0" "load_end=$(load1)"
    l0=$(load1); cpu_read; c0=$CPU_NOW; t0=$(now)
    "$ROOT/jobs/ohem-mine.sh" --input "$ROOT/samples/tiny" --output "$RUN/tiny-out" --overwrite \
      --master "$MASTER" > "$RUN/tiny-$i.log" 2> "$RUN/tiny-$i.err" || {
        echo "ohem-bench: ohem-mine samples/tiny failed, see $RUN/tiny-$i.err" >&2; exit 1; }
    cpu_used "$c0"
    meta "$RUN/startup-tiny-$i.json" "wall_s=$(elapsed "$t0")" "cpu_s=$CPU_USED" \
      "load_start=$l0" "load_end=$(load1)"
  done
fi

# 5. The library call in a warm session, on the largest dataset.
if [ -n "$DO_LIBRARY" ]; then
  ds=$(dataset_of "$BIG")
  echo "== library: OhemMiner $LIBRARY_RUNS times in one session on $BIG images (load $(load1))" >&2
  warm "$ds"
  l0=$(load1); cpu_read; c0=$CPU_NOW; t0=$(now)
  (ohem_submit org.ohemspark.bench.WarmMinerBench "" --master "$MASTER" --driver-memory "$DRIVER_MEM" \
    --conf spark.ui.enabled=false --jars "$BENCH_JAR" "$ds" "$RUN/library-out" "$LIBRARY_RUNS") \
    > "$RUN/library.log" 2> "$RUN/library.err" || {
      echo "ohem-bench: warm-session run failed, see $RUN/library.err" >&2; exit 1; }
  cpu_used "$c0"
  meta "$RUN/library.meta.json" "wall_s=$(elapsed "$t0")" "cpu_s=$CPU_USED" \
    "load_start=$l0" "load_end=$(load1)" \
    "images=$BIG"
fi

# 6. Optional profile of the largest size (not timed: JFR and the thread poller cost a little).
if [ -n "$DO_PROFILE" ]; then
  ds=$(dataset_of "$BIG")
  echo "== profile: ohem-mine on $BIG images under JFR (load $(load1))" >&2
  rm -rf "$RUN/events-profile"; mkdir -p "$RUN/events-profile"
  (cd "$RUN" && OHEM_JAVA_OPTS="-XX:StartFlightRecording=filename=$RUN/profile.jfr,settings=profile,dumponexit=true" \
    "$PY" "$LIB/thread_cpu.py" --json "$RUN/profile.threads.json" \
    "$ROOT/jobs/ohem-mine.sh" --input "$ds" --output "$RUN/out-profile" \
    --overwrite --master "$MASTER" --driver-memory "$DRIVER_MEM" --conf spark.ui.enabled=false \
    --conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=file:$RUN/events-profile" \
    --conf spark.eventLog.rolling.enabled=false --conf spark.eventLog.compress=false \
    --conf spark.eventLog.logStageExecutorMetrics=true \
    --conf spark.executor.metrics.pollingInterval=100ms > "$RUN/thread-cpu.txt" 2>&1) \
    < /dev/null || true
  px=$("$PY" -c 'import json,sys; g=json.load(open(sys.argv[1]))["generator"]; print(g["images"]*g["height"]*g["width"])' "$ds/dataset.json")
  "$PY" "$LIB/jfr_profile.py" "$RUN/profile.jfr" "$RUN/events-profile" "$px" > "$RUN/profile.txt" 2>&1 || true
  echo "== probe: each output written in turn, and variants of hard_pixels/ (load $(load1))" >&2
  (ohem_submit org.ohemspark.bench.OutputWriteProbe "" --master "$MASTER" --driver-memory "$DRIVER_MEM" \
    --conf spark.ui.enabled=false --jars "$BENCH_JAR" "$ds" "$RUN/write-probe-out" 3) \
    > "$RUN/write-probe.log" 2> "$RUN/write-probe.err" || true
  rm -rf "$RUN/write-probe-out"
  echo "== probe: the loss pass's steps on one thread, Spark-free (load $(load1))" >&2
  mapfile -t jvm_flags < "$LIB/jvm-flags"
  java -Xmx2g "${jvm_flags[@]}" "-Dlog4j2.configurationFile=file:$ROOT/conf/log4j2.properties" \
    -cp "$ROOT/target/test-classes:$ROOT/target/classes:$ROOT/target/jars/*" \
    org.ohemspark.bench.LossPassProbe "$ds" 3 16 > "$RUN/probe.log" 2> "$RUN/probe.err" || true
fi

meta "$RUN/end.json" "load_end=$(load1)" "ended=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
"$PY" "$LIB/bench_report.py" final "$RUN" ${RECORD:+"$ROOT/BENCHMARKS.md"}
