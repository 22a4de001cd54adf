#!/usr/bin/env bash
# A Spark standalone cluster on this machine, from the project's Maven jars (no Spark
# distribution): one master and two workers, each its own JVM, on 127.0.0.1.
#   jobs/spark-cluster.sh start|stop|status
# Environment: OHEM_CLUSTER_DIR (state: pids, logs, work dirs; default target/spark-cluster),
#   OHEM_MASTER_PORT (7177), OHEM_MASTER_WEBUI_PORT (8180), OHEM_WORKERS (2),
#   OHEM_WORKER_CORES (1), OHEM_WORKER_MEMORY (1g).
# Then submit with: jobs/ohem-mine.sh --master spark://127.0.0.1:7177 --input DIR --output OUT
set -euo pipefail
source "$(dirname "$0")/lib/submit.sh"
DIR="${OHEM_CLUSTER_DIR:-$OHEM_ROOT/target/spark-cluster}"
PORT="${OHEM_MASTER_PORT:-7177}"
WEBUI="${OHEM_MASTER_WEBUI_PORT:-8180}"
WORKERS="${OHEM_WORKERS:-2}"
CORES="${OHEM_WORKER_CORES:-1}"
MEM="${OHEM_WORKER_MEMORY:-1g}"
MASTER_URL="spark://127.0.0.1:$PORT"

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

spark_home() {  # SPARK_HOME with jars/ -> the Maven jars, as the worker's executor launcher wants
  ohem_build_if_needed
  mkdir -p "$DIR/spark-home/jars"
  find "$DIR/spark-home/jars" -type l -delete
  ln -s "$OHEM_ROOT"/target/jars/*.jar "$DIR/spark-home/jars/"
}

launch() {  # NAME MAIN ARGS... (background JVM, pid in $DIR/NAME.pid, log in $DIR/NAME.log)
  local name="$1" main="$2"; shift 2
  local jvm_flags
  mapfile -t jvm_flags < "$OHEM_ROOT/jobs/lib/jvm-flags"
  SPARK_HOME="$DIR/spark-home" SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.13 \
    nohup java -Xmx512m "${jvm_flags[@]}" -Dspark.master.rest.enabled=false \
    "-Dlog4j2.configurationFile=file:$DIR/log4j2.properties" \
    -cp "$DIR/spark-home/jars/*" "$main" "$@" > "$DIR/$name.log" 2>&1 < /dev/null &
  echo $! > "$DIR/$name.pid"
}

wait_for() {  # FILE PATTERN SECONDS
  local i
  for ((i = 0; i < $3 * 5; i++)); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "spark-cluster: timed out waiting for '$2' in $1" >&2
  tail -20 "$1" >&2
  return 1
}

stop_pid() {  # PIDFILE: TERM, wait up to 10 s, then KILL
  local f="$1" pid i
  [ -f "$f" ] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then
      echo "spark-cluster: $(basename "$f" .pid) ($pid) ignored TERM; KILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$f"
}

case "${1:-}" in
  start)
    mkdir -p "$DIR"
    if alive "$DIR/master.pid"; then
      echo "spark-cluster: already running ($MASTER_URL)"; exit 0
    fi
    spark_home
    # INFO, so that readiness ("elected leader", "registered with master") can be waited for
    printf '%s\n' 'rootLogger.level = info' 'rootLogger.appenderRef.stderr.ref = console' \
      'appender.console.type = Console' 'appender.console.name = console' \
      'appender.console.target = SYSTEM_ERR' 'appender.console.layout.type = PatternLayout' \
      'appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n%ex' \
      > "$DIR/log4j2.properties"
    launch master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$PORT" \
      --webui-port "$WEBUI"
    wait_for "$DIR/master.log" "I have been elected leader" 60
    for ((w = 1; w <= WORKERS; w++)); do
      mkdir -p "$DIR/work-$w"
      launch "worker-$w" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 \
        --webui-port 0 --cores "$CORES" --memory "$MEM" --work-dir "$DIR/work-$w" "$MASTER_URL"
    done
    for ((w = 1; w <= WORKERS; w++)); do
      wait_for "$DIR/worker-$w.log" "Successfully registered with master" 90
    done
    echo "spark-cluster: master $MASTER_URL, $WORKERS workers x $CORES core(s), $MEM (state in $DIR)"
    ;;
  stop)
    for f in "$DIR"/worker-*.pid "$DIR/master.pid"; do
      [ -e "$f" ] && stop_pid "$f"
    done
    echo "spark-cluster: stopped"
    ;;
  status)
    if alive "$DIR/master.pid"; then
      echo "master $MASTER_URL pid $(cat "$DIR/master.pid")"
      for f in "$DIR"/worker-*.pid; do
        [ -e "$f" ] || continue
        if alive "$f"; then s=running; else s=dead; fi
        echo "$(basename "$f" .pid) pid $(cat "$f") $s"
      done
    else
      echo "spark-cluster: not running"; exit 1
    fi
    ;;
  *)
    echo "usage: jobs/spark-cluster.sh start|stop|status" >&2; exit 2 ;;
esac
