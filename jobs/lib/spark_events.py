#!/usr/bin/python3
"""Per-job costs of one Spark application from its event log (for jobs/ohem-bench.sh).

  spark_events.py EVENT_LOG_DIR_OR_FILE [PIXELS]   -> one JSON object on stdout

Run the application with
  --conf spark.eventLog.enabled=true --conf spark.eventLog.dir=file:DIR
  --conf spark.eventLog.rolling.enabled=false --conf spark.eventLog.compress=false
  --conf spark.eventLog.logStageExecutorMetrics=true
  --conf spark.executor.metrics.pollingInterval=100ms
(one application per DIR; a zstd-compressed or rolled log is read too, through the zstd tool).

Each Spark job becomes one entry, in submission order, labelled by what it does:
  - a SQL write: "write <folder>/" (the folder InsertIntoHadoopFsRelationCommand writes);
  - otherwise its call site without the line number ("DistributedTopK.treeAggregate"; a SQL
    job takes its SQL execution's call site), named by KNOWN where the project's passes are
    known, numbered "#2", "#3" when the same call site runs again.
Its figures are Spark's task metrics summed over its stages: executor run time (ms, task
threads' wall time), executor CPU time (ns, each task's deserialization included), JVM GC
time, (de)serialization times, bytes spilled (memory: deserialized size spilled; disk: bytes
written), peak execution memory (max of one task), input / output / shuffle bytes and records, and the job's own wall time. With
PIXELS, run and CPU time also per label pixel (ns/px: run time per pixel is per task thread,
so on N cores the stage's wall time is about that / N).
Also: the application's wall time, the time from its start to the first job, and the peak of
Spark's executor memory metrics (JVMHeapMemory and others) over all stages and executors.
"""
import glob
import json
import os
import re
import subprocess
import sys

# call sites of the project's passes (file.method) -> what the pass is
KNOWN = {
    "LossPass.submitJob": "loss pass: read, decode, kernel, cache",
    "BadRecords.mapToPair": "bad-record split",
    "DatasetTotals.treeAggregate": "per-image totals",
    "DistributedTopK.collect": "top-k ties per image",
    "ImageScopeTotals.collectAsList": "image-scope totals",
    "KeptConfusionPass.treeAggregate": "kept pixels by (label, predicted)",
    "ImageRanks.RangePartitioner": "images/ rank: key sample",
    "ImageRanks.treeAggregate": "images/ rank: images per range",
    "MaskPngs.fold": "write masks/",
    "ReportImages.takeOrdered": "report: worst images (top-N)",
    "ReportPictures.collect": "report: pictures of the worst images",
    "ReportImages.collect": "report: thumbnails of the worst images",
}

# call sites used from several lines of one file: the label of each line, by the line's rank
# among that site's lines in this application (so the labels survive edits that move lines)
KNOWN_BY_LINE = {
    "DistributedTopK.treeAggregate": ["top-k histogram pass", "top-k tail count"],
}

TASK_METRICS = {  # accumulator name -> our key
    "internal.metrics.executorRunTime": "run_ms",
    "internal.metrics.executorCpuTime": "cpu_ns",
    "internal.metrics.executorDeserializeCpuTime": "cpu_ns",  # the task's closure, per task
    "internal.metrics.jvmGCTime": "gc_ms",
    "internal.metrics.executorDeserializeTime": "deserialize_ms",
    "internal.metrics.resultSerializationTime": "result_serialize_ms",
    "internal.metrics.memoryBytesSpilled": "spill_memory_bytes",
    "internal.metrics.diskBytesSpilled": "spill_disk_bytes",
    "internal.metrics.input.bytesRead": "input_bytes",
    "internal.metrics.input.recordsRead": "input_records",
    "internal.metrics.output.bytesWritten": "output_bytes",
    "internal.metrics.output.recordsWritten": "output_records",
    "internal.metrics.shuffle.write.bytesWritten": "shuffle_write_bytes",
    "internal.metrics.shuffle.read.remoteBytesRead": "shuffle_read_bytes",
    "internal.metrics.shuffle.read.localBytesRead": "shuffle_read_bytes",
}
MAX_METRICS = {"internal.metrics.peakExecutionMemory": "peak_execution_memory_bytes"}


def read_events(path):
    """The events of one application: a file, or a folder holding one log (plain, zstd, rolled)."""
    if os.path.isdir(path):
        files = [f for f in glob.glob(os.path.join(path, "**", "*"), recursive=True)
                 if os.path.isfile(f) and not os.path.basename(f).startswith((".", "appstatus"))
                 and not f.endswith((".crc", ".inprogress"))]
        if not files:
            sys.exit(f"spark_events: no event log under {path}")
        files.sort(key=lambda f: [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", f)])
    else:
        files = [path]
    events = []
    for f in files:
        if f.endswith(".zstd") or f.endswith(".zst"):
            text = subprocess.run(["zstd", "-dc", f], capture_output=True, check=True).stdout
            lines = text.decode().splitlines()
        else:
            lines = open(f).read().splitlines()
        events.extend(json.loads(l) for l in lines if l.strip())
    return events


def call_site(name):
    """'treeAggregate at DistributedTopK.java:90' -> 'DistributedTopK.treeAggregate'."""
    m = re.match(r"(\S+) at (\w+)\.(?:java|scala):\d+", name or "")
    return f"{m.group(2)}.{m.group(1)}" if m else (name or "?")


def call_line(name):
    m = re.search(r"\.(?:java|scala):(\d+)", name or "")
    return int(m.group(1)) if m else 0


def analyse(events, pixels=None):
    sql = {}  # execution id -> (call site, written folder or None)
    jobs = {}
    stage_job = {}
    stages = {}
    heap_peaks = {}
    app_start = app_end = None
    for e in events:
        ev = e["Event"]
        if ev == "SparkListenerApplicationStart":
            app_start = e["Timestamp"]
        elif ev == "SparkListenerApplicationEnd":
            app_end = e["Timestamp"]
        elif ev.endswith("SQLExecutionStart"):
            m = re.search(r"Execute InsertIntoHadoopFsRelationCommand\s*\nInput: [^\n]*\n"
                          r"Arguments: ([^,\s]+)", e.get("physicalPlanDescription", ""))
            folder = os.path.basename(m.group(1).rstrip("/")) if m else None
            sql[str(e["executionId"])] = (call_site(e.get("description")), folder)
        elif ev == "SparkListenerJobStart":
            props = e.get("Properties") or {}
            jobs[e["Job ID"]] = {"job": e["Job ID"], "start": e["Submission Time"],
                                 "stages": e["Stage IDs"],
                                 "sql": props.get("spark.sql.execution.id")}
            for s in e["Stage IDs"]:
                stage_job[s] = e["Job ID"]
        elif ev == "SparkListenerJobEnd":
            jobs[e["Job ID"]]["end"] = e["Completion Time"]
        elif ev == "SparkListenerStageCompleted":
            si = e["Stage Info"]
            acc = {}
            for a in si.get("Accumulables", []):
                acc.setdefault(a["Name"], 0)
                try:
                    acc[a["Name"]] += int(a.get("Value", 0))
                except (TypeError, ValueError):
                    pass
            stages[si["Stage ID"]] = {"name": si["Stage Name"], "tasks": si["Number of Tasks"],
                                      "acc": acc}
        elif ev == "SparkListenerStageExecutorMetrics":
            for k, v in e["Executor Metrics"].items():
                heap_peaks[k] = max(heap_peaks.get(k, 0), v)
        elif ev == "SparkListenerExecutorMetricsUpdate":
            for u in e.get("Executor Metrics Updated", []) or []:
                for k, v in (u.get("Executor Metrics") or {}).items():
                    heap_peaks[k] = max(heap_peaks.get(k, 0), v)
    lines = {}  # call site -> its distinct lines, for KNOWN_BY_LINE
    for j in jobs.values():
        done = [s for s in j["stages"] if s in stages]
        if done:
            n = stages[min(done)]["name"]
            lines.setdefault(call_site(n), set()).add(call_line(n))
    out = []
    seen = {}
    for jid in sorted(jobs):
        j = jobs[jid]
        done = [s for s in j["stages"] if s in stages]  # skipped stages never complete
        first = stages[min(done)]["name"] if done else "?"
        site, folder = sql.get(j["sql"], (None, None)) if j["sql"] is not None else (None, None)
        if folder:
            label = f"write {folder}/"
        elif site is None and call_site(first) in KNOWN_BY_LINE:
            names = KNOWN_BY_LINE[call_site(first)]
            rank = sorted(lines[call_site(first)]).index(call_line(first))
            label = names[min(rank, len(names) - 1)]
        else:
            site = site or call_site(first)
            label = KNOWN.get(site, site)
        seen[label] = seen.get(label, 0) + 1
        if seen[label] > 1:
            label = f"{label} #{seen[label]}"
        r = {"label": label, "job": jid, "call_site": call_site(first),
             "wall_ms": j.get("end", j["start"]) - j["start"],
             "tasks": sum(stages[s]["tasks"] for s in done)}
        for name, key in TASK_METRICS.items():
            r[key] = r.get(key, 0) + sum(stages[s]["acc"].get(name, 0) for s in done)
        for name, key in MAX_METRICS.items():
            r[key] = max([0] + [stages[s]["acc"].get(name, 0) for s in done])
        if pixels:
            r["run_ns_px"] = r["run_ms"] * 1e6 / pixels
            r["cpu_ns_px"] = r["cpu_ns"] / pixels
        out.append(r)
    first_job = min((j["start"] for j in jobs.values()), default=None)
    total = {k: sum(r[k] for r in out) for k in
             ["run_ms", "cpu_ns", "gc_ms", "spill_memory_bytes", "spill_disk_bytes"]}
    return {"jobs": out, "totals": total, "app_start": app_start, "app_end": app_end,
            "job_intervals": sorted((j["start"], j.get("end", j["start"])) for j in jobs.values()),
            "app_wall_ms": (app_end - app_start) if app_start and app_end else None,
            "app_start_to_first_job_ms": (first_job - app_start) if app_start and first_job
            else None,
            "executor_metric_peaks": heap_peaks}


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    px = int(sys.argv[2]) if len(sys.argv) > 2 else None
    print(json.dumps(analyse(read_events(sys.argv[1]), px)))
