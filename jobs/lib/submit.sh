# Shared by the jobs/ scripts: builds the jar when needed and submits a main class to Spark.
# Usage (sourced): ohem_submit MAIN_CLASS DEFAULT_CONF ARGS...
#   - With SPARK_HOME set: "$SPARK_HOME/bin/spark-submit" (the cluster's Spark).
#   - Without: Spark from the project's Maven dependencies (target/jars), through the same
#     org.apache.spark.deploy.SparkSubmit entry, master local[*] unless --master is given.
# Spark's own options (--master, --conf spark.x=y, --executor-memory, ...) go to Spark; every
# other argument goes to the job. --conf FILE (an existing file, or no '=') is the job's
# configuration file. In cluster deploy mode (--deploy-mode cluster, or --conf
# spark.submit.deployMode=cluster) the driver runs on the cluster, where a path of this machine
# means nothing: a configuration file given as a plain path is shipped with --files (added to
# any --files given) and the job is told its file name, which it finds among the shipped files;
# a URI (hdfs://, s3a://, file:) is passed as it is.

OHEM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OHEM_JAR="$OHEM_ROOT/target/ohem-spark.jar"

ohem_build_if_needed() {
  local stale=""
  if [ ! -f "$OHEM_JAR" ] || [ ! -d "$OHEM_ROOT/target/jars" ]; then
    stale=yes
  elif [ -n "$(find "$OHEM_ROOT/src/main" "$OHEM_ROOT/pom.xml" -newer "$OHEM_JAR" -print -quit 2>/dev/null)" ]; then
    stale=yes
  fi
  if [ -n "$stale" ]; then
    echo "ohem-spark: building the jar (mvn -B -q -DskipTests package)..." >&2
    (cd "$OHEM_ROOT" && mvn -B -q -DskipTests package) >&2 || {
      echo "ohem-spark: build failed" >&2
      exit 1
    }
  fi
}

ohem_submit() {
  local main_class="$1" default_conf="$2"
  shift 2
  local spark_args=() app_args=() has_master="" has_app_conf=""
  local deploy_mode=client files_at="" conf_at=""  # conf_at, files_at: indices of the values
  while [ $# -gt 0 ]; do
    case "$1" in
      --deploy-mode|--files)
        [ $# -ge 2 ] || { echo "ohem-spark: $1 needs a value" >&2; exit 2; }
        [ "$1" = --deploy-mode ] && deploy_mode="$2"
        [ "$1" = --files ] && files_at=$((${#spark_args[@]} + 1))
        spark_args+=("$1" "$2"); shift 2 ;;
      --deploy-mode=*|--files=*)
        [[ "$1" == --deploy-mode=* ]] && deploy_mode="${1#--deploy-mode=}"
        [[ "$1" == --files=* ]] && files_at=${#spark_args[@]}
        spark_args+=("$1"); shift ;;
      --master|--driver-memory|--executor-memory|--executor-cores|--num-executors|\
--total-executor-cores|--queue|--jars|--packages|--archives|--properties-file|--name|\
--driver-java-options|--driver-class-path|--driver-library-path|--driver-cores|--principal|\
--keytab|--repositories|--exclude-packages|--proxy-user)
        [ $# -ge 2 ] || { echo "ohem-spark: $1 needs a value" >&2; exit 2; }
        [ "$1" = --master ] && has_master=yes
        spark_args+=("$1" "$2"); shift 2 ;;
      --master=*|--driver-memory=*|--executor-memory=*|--executor-cores=*|\
--num-executors=*|--total-executor-cores=*|--queue=*|--jars=*|--packages=*|--name=*)
        [[ "$1" == --master=* ]] && has_master=yes
        spark_args+=("$1"); shift ;;
      --verbose|--supervise)
        spark_args+=("$1"); shift ;;
      --conf)
        [ $# -ge 2 ] || { echo "ohem-spark: --conf needs a value" >&2; exit 2; }
        if [[ "$2" == *=* && ! -f "$2" ]]; then
          spark_args+=("$1" "$2")
          [[ "$2" == spark.submit.deployMode=* ]] && deploy_mode="${2#spark.submit.deployMode=}"
        else
          app_args+=("$1" "$2"); has_app_conf=yes; conf_at=$((${#app_args[@]} - 1))
        fi
        shift 2 ;;
      --conf=*)  # --conf=FILE (the job's) or --conf=spark.key=value (Spark's)
        local v="${1#--conf=}"
        if [[ "$v" == *=* && ! -f "$v" ]]; then
          spark_args+=(--conf "$v")
          [[ "$v" == spark.submit.deployMode=* ]] && deploy_mode="${v#spark.submit.deployMode=}"
        else
          app_args+=(--conf "$v"); has_app_conf=yes; conf_at=$((${#app_args[@]} - 1))
        fi
        shift ;;
      *)
        app_args+=("$1"); shift ;;
    esac
  done
  if [ -z "$has_app_conf" ] && [ -n "$default_conf" ] && [ -f "$default_conf" ]; then
    app_args+=(--conf "$default_conf"); conf_at=$((${#app_args[@]} - 1))
  fi
  if [ "$deploy_mode" = cluster ] && [ -n "$conf_at" ] \
      && ! [[ "${app_args[$conf_at]}" =~ ^[A-Za-z][A-Za-z0-9+.-]*: ]]; then
    # the driver runs on the cluster: ship the file, and name it as the job will find it
    local cf="${app_args[$conf_at]}"
    [ -f "$cf" ] || { echo "ohem-spark: configuration file $cf does not exist" >&2; exit 2; }
    local abs
    abs="$(cd "$(dirname "$cf")" && pwd)/$(basename "$cf")"
    if [ -n "$files_at" ]; then spark_args[$files_at]+=",$abs"; else spark_args+=(--files "$abs"); fi
    app_args[$conf_at]="$(basename "$cf")"
  fi
  local heap=() driver_opts=()
  local i
  for ((i = 0; i < ${#spark_args[@]}; i++)); do
    if [ "${spark_args[$i]}" = --driver-memory ]; then heap=("-Xmx${spark_args[$((i + 1))]}"); fi
    if [[ "${spark_args[$i]}" == --driver-memory=* ]]; then heap=("-Xmx${spark_args[$i]#--driver-memory=}"); fi
    if [[ "${spark_args[$i]}" == spark.driver.memory=* ]]; then heap=("-Xmx${spark_args[$i]#spark.driver.memory=}"); fi
    # the local driver is this JVM: its Java options must be on its command line
    if [ "${spark_args[$i]}" = --driver-java-options ]; then read -ra driver_opts <<< "${spark_args[$((i + 1))]}"; fi
  done
  if [ "${OHEM_DRY_RUN:-0}" = 1 ]; then  # tests: how the arguments were split, then stop
    local a
    for a in "${spark_args[@]}"; do echo "spark: $a"; done
    for a in "${app_args[@]}"; do echo "app: $a"; done
    for a in "${heap[@]}"; do echo "heap: $a"; done
    for a in "${driver_opts[@]}"; do echo "driver-java-options: $a"; done
    return 0
  fi
  ohem_build_if_needed
  local log_conf="-Dlog4j2.configurationFile=file:$OHEM_ROOT/conf/log4j2.properties"
  if [ -n "${SPARK_HOME:-}" ]; then
    if [ ! -x "$SPARK_HOME/bin/spark-submit" ]; then
      echo "ohem-spark: SPARK_HOME=$SPARK_HOME has no bin/spark-submit; unset SPARK_HOME to" \
        "use the project's own Spark (target/jars)" >&2
      exit 1
    fi
    local driver_log=(--driver-java-options "$log_conf")
    # a driver on the cluster cannot read this machine's file: it logs as the cluster says
    [ "$deploy_mode" = cluster ] && driver_log=()
    # --model: ONNX Runtime is not in the application jar (75 MB); ship the project's copy
    local a j
    for a in "${app_args[@]}"; do
      if [[ "$a" == --model || "$a" == --model=* ]]; then
        j=$(ls "$OHEM_ROOT"/target/jars/onnxruntime-*.jar 2>/dev/null | head -1)
        for ((i = 0; i < ${#spark_args[@]}; i++)); do
          [ "${spark_args[$i]}" = --jars ] && spark_args[$((i + 1))]+=",$j" && j=""
          [[ "${spark_args[$i]}" == --jars=* ]] && spark_args[$i]+=",$j" && j=""
        done
        [ -n "$j" ] && spark_args+=(--jars "$j")
        break
      fi
    done
    exec "$SPARK_HOME/bin/spark-submit" --class "$main_class" \
      "${driver_log[@]}" "${spark_args[@]}" "$OHEM_JAR" "${app_args[@]}"
  fi
  export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
  export SPARK_SCALA_VERSION=2.13
  local jvm_flags
  mapfile -t jvm_flags < "$OHEM_ROOT/jobs/lib/jvm-flags"
  [ -n "$has_master" ] || spark_args=(--master 'local[*]' "${spark_args[@]}")
  # JVM messages go to stderr: stdout is the job's result.
  local cmd=(java "${heap[@]}" "${jvm_flags[@]}" "${driver_opts[@]}" -Xlog:disable -Xlog:all=warning:stderr
    -Xlog:cds*=off:stderr
    "$log_conf")
  # Class-data sharing: the driver loads some 15,000 classes from the jars of target/jars,
  # which takes seconds at every start. The first run records them into an archive (JDK
  # dynamic CDS, written when the JVM exits); later runs map it (OHEM_CDS=0: off).
  local jsa="$OHEM_ROOT/target/ohem-driver.jsa" dump=""
  if [ "${OHEM_CDS:-1}" != 0 ]; then
    if [ -f "$jsa" ] && [ "$jsa" -nt "$OHEM_JAR" ]; then
      cmd+=("-XX:SharedArchiveFile=$jsa")
    else
      dump="$jsa.$$"
      cmd+=("-XX:ArchiveClassesAtExit=$dump")
      echo "ohem-spark: first run of this build: recording the classes it loads into" \
        "target/ohem-driver.jsa (once; later runs start faster)" >&2
    fi
  fi
  cmd+=(${OHEM_JAVA_OPTS:-} -cp "$OHEM_ROOT/target/jars/*:$OHEM_JAR"
    org.apache.spark.deploy.SparkSubmit --class "$main_class" "${spark_args[@]}" "$OHEM_JAR"
    "${app_args[@]}")
  if [ -z "$dump" ]; then
    exec "${cmd[@]}"
  fi
  local rc=0
  "${cmd[@]}" || rc=$?
  if [ -f "$dump" ]; then mv -f "$dump" "$jsa"; fi
  return $rc
}
