#!/usr/bin/python3
"""Where the CPU of an ohem-mine run goes, from a JFR recording (and the run's Spark event log).

  jfr_profile.py RECORDING.jfr [EVENT_LOG_DIR PIXELS]   -> a text report on stdout
  jfr_profile.py --json RECORDING.jfr [EVENT_LOG_DIR PIXELS] -> the same as one JSON object

Record with the JVM option
  -XX:StartFlightRecording=filename=R.jfr,settings=profile,dumponexit=true
(jobs/ohem-bench.sh --profile does it, through OHEM_JAVA_OPTS). Reads the recording with the
JDK's `jfr print` (text form, stacks 64 frames deep).

Samples: jdk.ExecutionSample (a thread running Java code, every 10 ms with settings=profile)
weighs 10 ms, jdk.NativeMethodSample (a thread inside a native method, every 20 ms, one thread
per period) 20 ms; native samples of idle threads (park, wait, sleep, epoll, accept) are
dropped. JDK 17's sampler takes at most a few threads per period and skips threads it cannot
walk, so the shares are estimates (a few percent for a category of a hundred samples);
absolute times come from Spark's task CPU time, not from sample counts.

Each sample gets a category: walking its stack from the leaf up, the first frame that matches
a pattern of CATEGORIES names it (so a Float16 frame under the kernel counts as decode, a
class-loading frame anywhere above the leaf as class loading); a stack with no specific frame
falls to Spark / JDK / other. Executor task threads' samples are also given to the Spark job
whose tasks were running at that moment (from the event log's task start and end times; when
several jobs' tasks ran at once, the loss pass takes the samples whose category is part of it).
With PIXELS, each job's share of a category becomes ns per label pixel: the job's executor CPU
time (Spark's task metric) x the category's share of that job's samples / pixels.

Allocation (jdk.ObjectAllocationSample, its weight in bytes) is summed per category and object
class, in bytes per label pixel with PIXELS. GC pauses: jdk.GarbageCollection.
"""
import collections
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spark_events  # noqa: E402

# (category, frame patterns): the first frame from the leaf up that contains a pattern names
# the sample's category; within one frame the earlier category wins.
CATEGORIES = [
    ("file read", ["HadoopConf.readAll", "java.io.FileInputStream", "LocalFSFileInputStream",
                   "ChecksumFSInputChecker", "util.DataChecksum", "java.util.zip.CRC32",
                   "FSDataInputStream", "sun.nio.ch.FileChannelImpl.read", "HadoopChannel",
                   "WebDatasetTar", "ParquetShards"]),
    ("class loading", ["java.lang.ClassLoader", "java.util.zip.", "java.util.jar.",
                       "jdk.internal.loader.", "java.lang.Class.forName",
                       "sun.launcher.", "java.lang.invoke.MethodHandleNatives.link"]),
    ("float16/float32 decode", ["ohemspark.core.Float16", "ohemspark.core.DenseLogits"]),
    # the Vector API's Java fallbacks (allocating arrays per operation) run until C2 has
    # compiled the kernel with its intrinsics: JIT warm-up, not the kernel's steady cost
    ("kernel before C2 (Vector API fallbacks: JIT warm-up)", [
        "jdk.incubator.vector.AbstractShuffle", "bOpTemplate", "uOpTemplate", "tOpTemplate",
        "Vector.rvOp", "Vector.vOp", "Species.rvOp", "Vector.ldOp", "Vector.stOp",
        "Vector.toArray"]),
    ("npy header, label decode", ["ohemspark.io."]),
    ("kernel", ["ohemspark.core.VectorRowMath", "ohemspark.core.VectorExp",
                "ohemspark.core.ScalarRowMath", "ohemspark.core.CrossEntropyKernel",
                "ohemspark.core.BilinearAxis", "ohemspark.core.ImageLossComputer",
                "ohemspark.core.LabelConvention"]),
    ("cache (block manager, size estimate, serialization)", [
        "org.apache.spark.storage.", "org.apache.spark.util.SizeEstimator",
        "java.io.ObjectOutputStream", "java.io.ObjectInputStream", "com.esotericsoftware.kryo",
        "org.apache.spark.serializer.", "org.apache.spark.util.io.ChunkedByteBuffer"]),
    ("top-k histogram", ["ohemspark.core.LossHistogram", "ohemspark.core.TopKSearch"]),
    ("per-image scans (totals, top-k tail, kept pixels)", [
        "ohemspark.core.KeptPixels", "ohemspark.mining.DistributedTopK",
        "ohemspark.mining.DatasetTotals", "ohemspark.mining.ImageReport",
        "ohemspark.mining.ImageKeepRule", "ohemspark.core.ExactSum"]),
    ("compression", ["org.xerial.snappy", "io.airlift.compress", "com.github.luben",
                     "org.apache.parquet.hadoop.codec"]),
    ("parquet encoding", ["org.apache.parquet.", "shaded.parquet.", "datasources.parquet."]),
    ("rows: Row objects, encoder (hard_pixels/, images/)", [
        "ohemspark.mining.HardPixels", "org.apache.spark.sql.RowFactory",
        "org.apache.spark.sql.catalyst.expressions.GenericRow", "GeneratedClass",
        "org.apache.spark.sql.catalyst.", "org.apache.spark.unsafe."]),
    ("Spark SQL planning, codegen", ["org.codehaus.janino", "org.codehaus.commons",
                                      "org.apache.spark.sql.execution.", "org.apache.spark.sql."]),
    ("Hadoop local FS (chmod forks, output files)", [
        "org.apache.hadoop.util.Shell", "java.lang.ProcessImpl", "java.lang.ProcessBuilder",
        "RawLocalFileSystem", "ChecksumFileSystem", "FileOutputCommitter",
        "org.apache.spark.internal.io.", "org.apache.hadoop."]),
    ("ohem-spark other", ["org.ohemspark."]),
]
GENERIC = [("Spark, Scala (tasks, scheduling, RPC, metrics)",
            ["org.apache.spark.", "scala.", "io.netty.", "com.fasterxml."]),
           ("JDK other", ["java.", "jdk.", "sun."])]
IDLE = ["Unsafe.park", "Object.wait", "Thread.sleep", "EPoll", "epoll", "accept", "poll0",
        "Native.epollWait", "Native.eventFdWrite", "socketRead", "ServerSocket", "waitForProcessExit"]
# which categories belong to the loss pass (for samples taken while several jobs ran)
LOSS_PASS = {"file read", "float16/float32 decode", "npy header, label decode", "kernel",
             "kernel before C2 (Vector API fallbacks: JIT warm-up)"}
PERIOD_MS = {"jdk.ExecutionSample": 10.0, "jdk.NativeMethodSample": 20.0}


def category(frames):
    for f in frames:
        for name, pats in CATEGORIES:
            if any(p in f for p in pats):
                return name
    for f in frames:
        for name, pats in GENERIC:
            if any(p in f for p in pats):
                return name
    return "other"


def thread_group(name):
    if name.startswith("Executor task launch"):
        return "executor tasks"
    if name == "main":
        return "driver main"
    return "other threads"


UNITS = {"bytes": 1, "B": 1, "kB": 1e3, "KB": 1e3, "MB": 1e6, "GB": 1e9}


def parse_events(jfr, events):
    """Yields dicts (type, time_ms of day, thread, frames, weight, objectClass, duration)."""
    text = subprocess.run(["jfr", "print", "--stack-depth", "64", "--events", events, jfr],
                          capture_output=True, text=True, check=True).stdout
    cur = None
    in_stack = False
    for line in text.splitlines():
        if cur is None:
            m = re.match(r"(jdk\.\w+) \{", line)
            if m:
                cur = {"type": m.group(1), "frames": []}
            continue
        s = line.strip()
        if in_stack:
            if s == "]":
                in_stack = False
            elif s and s != "...":
                cur["frames"].append(re.sub(r"\(.*", "", s))
            continue
        if s == "}":
            yield cur
            cur = None
        elif s.startswith("stackTrace = ["):
            in_stack = True
        elif s.startswith("startTime = "):
            m = re.match(r"startTime = (\d+):(\d+):(\d+)\.(\d+)", s)
            if m:
                h, mi, se, frac = m.groups()
                cur["tod_ms"] = ((int(h) * 60 + int(mi)) * 60 + int(se)) * 1000 + int(
                    (frac + "000")[:3])
        elif s.startswith(("sampledThread = ", "eventThread = ")):
            m = re.search(r'"(.*)"', s)
            cur["thread"] = m.group(1) if m else ""
        elif s.startswith("objectClass = "):
            cur["objectClass"] = s.split("=", 1)[1].strip().split(" (")[0]
        elif s.startswith("weight = "):
            v, u = s.split("=", 1)[1].split()
            cur["weight"] = float(v.replace(",", "")) * UNITS.get(u, 1)
        elif s.startswith(("sumOfPauses = ", "longestPause = ", "name = ")):
            k, v = s.split(" = ", 1)
            cur[k] = v.strip('"')


def duration_ms(v):
    m = re.match(r"([\d.,]+)\s*(\w+)", v or "")
    if not m:
        return 0.0
    x = float(m.group(1).replace(",", ""))
    return x * {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3, "min": 6e4}.get(m.group(2), 1.0)


def task_windows(events):
    """[(start_ms, end_ms, job id)] of every task, and job id -> label."""
    stage_job = {}
    for e in events:
        if e["Event"] == "SparkListenerJobStart":
            for s in e["Stage IDs"]:
                stage_job[s] = e["Job ID"]
    w = []
    for e in events:
        if e["Event"] == "SparkListenerTaskEnd":
            ti = e["Task Info"]
            w.append((ti["Launch Time"], ti["Finish Time"], stage_job.get(e["Stage ID"])))
    return w


def profile(jfr, eventlog=None, pixels=None):
    samples = collections.Counter()  # (group, category) -> ms
    methods = collections.Counter()  # leaf method of executor-task samples -> ms
    per_job = collections.defaultdict(collections.Counter)  # job label -> category -> ms
    alloc = collections.Counter()  # (category, class) -> bytes, executor threads
    alloc_group = collections.Counter()
    gc = {"count": 0, "pauses_ms": 0.0, "longest_ms": 0.0}
    jobs = None
    windows = []
    app_tod = None
    if eventlog:
        ev = spark_events.read_events(eventlog)
        jobs = spark_events.analyse(ev, pixels)
        label = {j["job"]: j["label"] for j in jobs["jobs"]}
        windows = [(a, b, label.get(j)) for a, b, j in task_windows(ev)]
        starts = [e["Timestamp"] for e in ev if e["Event"] == "SparkListenerApplicationStart"]
        app_tod = starts[0] % 86_400_000 if starts else None

    def job_at(tod, cat):
        if not windows:
            return None
        t = tod
        if app_tod is not None and t < app_tod - 43_200_000:
            t += 86_400_000
        # epoch ms of a time of day (UTC, as jfr prints it on this machine's zone)
        base = windows[0][0] - windows[0][0] % 86_400_000
        t += base
        running = collections.Counter(l for a, b, l in windows if a <= t <= b)
        if not running:
            return "(no task running)"
        if len(running) > 1:
            loss = [l for l in running if l and l.startswith("loss pass")]
            if loss and cat in LOSS_PASS:
                return loss[0]
            others = [l for l in running if not (l and l.startswith("loss pass"))]
            return max(others, key=lambda l: running[l]) if others else loss[0]
        return next(iter(running))

    for e in parse_events(jfr, "jdk.ExecutionSample,jdk.NativeMethodSample"):
        fr = e["frames"]
        if not fr:
            continue
        if e["type"] == "jdk.NativeMethodSample" and any(p in fr[0] for p in IDLE):
            continue
        g = thread_group(e.get("thread", ""))
        c = category(fr)
        ms = PERIOD_MS[e["type"]]
        samples[(g, c)] += ms
        if g == "executor tasks":
            methods[fr[0]] += ms
            if windows and "tod_ms" in e:
                per_job[job_at(e["tod_ms"], c)][c] += ms
    for e in parse_events(jfr, "jdk.ObjectAllocationSample"):
        g = thread_group(e.get("thread", ""))
        alloc_group[g] += e.get("weight", 0)
        if g == "executor tasks":
            alloc[(category(e["frames"]), e.get("objectClass", "?"))] += e.get("weight", 0)
    for e in parse_events(jfr, "jdk.GarbageCollection"):
        gc["count"] += 1
        p = duration_ms(e.get("sumOfPauses"))
        gc["pauses_ms"] += p
        gc["longest_ms"] = max(gc["longest_ms"], duration_ms(e.get("longestPause")))
    out = {"sampled_ms": {f"{g} | {c}": v for (g, c), v in samples.most_common()},
           "executor_leaf_methods_ms": dict(methods.most_common(30)),
           "allocation_bytes_by_group": dict(alloc_group),
           "executor_allocation_bytes": {f"{c} | {k}": v for (c, k), v in
                                         alloc.most_common(20)},
           "gc": gc}
    if jobs:
        out["jobs"] = []
        for j in jobs["jobs"]:
            cats = per_job.get(j["label"], collections.Counter())
            tot = sum(cats.values())
            row = {"label": j["label"], "cpu_ns": j["cpu_ns"], "run_ms": j["run_ms"],
                   "sampled_ms": tot, "categories": {}}
            for c, v in cats.most_common():
                share = v / tot if tot else 0
                row["categories"][c] = {"share": share, "ns_px": (
                    j["cpu_ns"] * share / pixels if pixels else None)}
            out["jobs"].append(row)
        out["unassigned_ms"] = {k: sum(v.values()) for k, v in per_job.items()
                                if k not in {j["label"] for j in jobs["jobs"]}}
    return out


def report(p, pixels):
    lines = []
    tot = collections.Counter()
    for k, v in p["sampled_ms"].items():
        tot[k.split(" | ")[0]] += v
    lines.append("sampled CPU by thread group (ms, from sample counts): " + ", ".join(
        f"{g} {v:.0f}" for g, v in tot.most_common()))
    for g in ["executor tasks", "driver main"]:
        lines.append(f"{g}, by category:")
        for k, v in p["sampled_ms"].items():
            if k.startswith(g + " |") and tot[g]:
                lines.append(f"  {100 * v / tot[g]:5.1f}%  {k.split(' | ')[1]}")
    if "jobs" in p:
        lines.append("executor CPU by Spark job and category (ns per label pixel = job CPU x "
                     "share / pixels):")
        for j in p["jobs"]:
            lines.append(f"  {j['label']}: {j['cpu_ns'] / pixels:.1f} ns/px CPU "
                         f"({j['sampled_ms']:.0f} ms sampled)")
            for c, d in j["categories"].items():
                if d["share"] >= 0.02:
                    lines.append(f"      {d['ns_px']:7.1f} ns/px  {100 * d['share']:4.0f}%  {c}")
        if p.get("unassigned_ms"):
            lines.append("  samples outside any task: " + ", ".join(
                f"{k} {v:.0f} ms" for k, v in p["unassigned_ms"].items()))
    lines.append("executor tasks, hottest leaf methods (sampled ms):")
    for m, v in list(p["executor_leaf_methods_ms"].items())[:20]:
        lines.append(f"  {v:7.0f}  {m}")
    lines.append("allocation by thread group (sampled bytes" + (", per label pixel" if pixels
                 else "") + "): " + ", ".join(
        f"{g} {v / pixels if pixels else v:.1f}" for g, v in
        p["allocation_bytes_by_group"].items()))
    lines.append("executor allocation by category | class" + (" (bytes/px)" if pixels else ""))
    for k, v in list(p["executor_allocation_bytes"].items())[:12]:
        lines.append(f"  {v / pixels if pixels else v:9.2f}  {k}")
    g = p["gc"]
    lines.append(f"GC: {g['count']} collections, pauses {g['pauses_ms']:.0f} ms in all, longest "
                 f"{g['longest_ms']:.0f} ms")
    return "\n".join(lines)


if __name__ == "__main__":
    args = sys.argv[1:]
    as_json = args and args[0] == "--json"
    if as_json:
        args = args[1:]
    if not args:
        sys.exit(__doc__)
    px = int(args[2]) if len(args) > 2 else None
    prof = profile(args[0], args[1] if len(args) > 1 else None, px)
    print(json.dumps(prof) if as_json else report(prof, px))
