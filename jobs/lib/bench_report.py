#!/usr/bin/python3
"""Parses ohem-mine / ohem_pytorch.py outputs for jobs/ohem-bench.sh, prints a summary and
inserts table rows into BENCHMARKS.md before the marker lines
<!-- ohem-bench:end-to-end -->, <!-- ohem-bench:pytorch --> and <!-- ohem-bench:issue13 -->.

  bench_report.py final RUN_DIR [BENCHMARKS.md]        -> the whole report of one
                                                          jobs/ohem-bench.sh run (and its rows)
  bench_report.py mine LOG WALL_S CORES                -> one JSON line of figures
  bench_report.py row-e2e FIGURES_JSON DATASET_JSON    -> markdown row (end to end)
  bench_report.py row-torch JOB_JSON TORCH_JSON WALL_TORCH DATASET -> markdown row + summary
  bench_report.py insert FILE MARKER ROW               -> inserts ROW before MARKER in FILE
"""
import glob
import json
import os
import re
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import spark_events  # noqa: E402


def mine(log, wall, cores):
    text = open(log).read()
    f = {"wall_s": float(wall), "cores": int(cores)}
    m = re.search(r"OHEM mean: (\S+) \(status (\w+)", text)
    f["mean_printed"], f["status"] = m.group(1), m.group(2)
    m = re.search(r"images=(\d+) n_valid=(\d+) n_min=(\d+) n_hard=(\d+) n_kept=(\d+) "
                  r"used_topk=(\w+) kth_loss=(\S+)", text)
    for k, v in zip(["images", "n_valid", "n_min", "n_hard", "n_kept"], m.groups()[:5]):
        f[k] = int(v)
    f["used_topk"] = m.group(6) == "true"
    m = re.search(r"time: losses ([\d.]+)s, selection ([\d.]+)s \((\d+) top-k histogram "
                  r"passes\), write ([\d.]+)s, total ([\d.]+)s", text)
    f["losses_s"], f["selection_s"] = float(m.group(1)), float(m.group(2))
    f["topk_passes"] = int(m.group(3))
    f["write_s"], f["job_total_s"] = float(m.group(4)), float(m.group(5))
    m = re.search(r"passes: logits ([\d.NaN]+)", text)
    f["logits_passes"] = m.group(1)
    m = re.search(r"heap: driver peak (\d+) MiB used, (\d+) MiB live after GC", text)
    f["driver_used_mib"], f["driver_live_mib"] = int(m.group(1)), int(m.group(2))
    m = re.search(r"executors peak (\d+) MiB \(max of (\d+)", text)
    f["executor_peak_mib"], f["executors"] = (int(m.group(1)), int(m.group(2))) if m else (
        "not reported", 0)
    f["local"] = "local mode" in text
    return f


def dataset_info(path):
    d = json.load(open(path))
    g = d.get("generator", {})
    return d, g


def row_e2e(fig, ds_json, label):
    d, g = dataset_info(ds_json)
    f = json.loads(fig)
    h, w, n = g["height"], g["width"], g["images"]
    px = h * w * n
    ch, cw = h // g["downsample"], w // g["downsample"]
    gb = n * d["classes"] * ch * cw * (2 if g["dtype"] == "float16" else 4) / 1e9
    pps = px / f["wall_s"] / f["cores"] / 1e6
    kernel_pps = px / f["losses_s"] / f["cores"] / 1e6
    refine = f["selection_s"] / f["losses_s"] if f["losses_s"] > 0 else float("nan")
    heap = (f"{f['driver_used_mib']} / {f['driver_live_mib']}",
            f"{f['executor_peak_mib']}" + (" (same JVM)" if f["local"] else f" (x{f['executors']})"))
    row = (f"| {label} | {n} x {h}x{w}, C={d['classes']} {g['dtype']}"
           f"{'' if g['downsample'] == 1 else ' 1/' + str(g['downsample'])} | {px / 1e6:.1f} | "
           f"{gb:.2f} | {f['cores']} | {f['wall_s']:.1f} | {f['losses_s']:.2f} | "
           f"{f['selection_s']:.2f} ({f['topk_passes']}) | {refine:.2f} | {f['write_s']:.2f} | "
           f"{pps:.2f} | {kernel_pps:.2f} | {f['logits_passes']} | {heap[0]} | {heap[1]} | "
           f"{f['status']} {f['mean_printed']}, topk={str(f['used_topk']).lower()} |")
    summary = (f"  {n} images, {px / 1e6:.1f} Mpx, {gb:.2f} GB logits: wall {f['wall_s']:.1f}s "
               f"({pps:.2f} Mpx/s/core); first pass {f['losses_s']:.2f}s, top-k refinement "
               f"{f['selection_s']:.2f}s = {refine:.2f} of the first pass ({f['topk_passes']} "
               f"histogram passes); logits passes {f['logits_passes']}; heap driver "
               f"{heap[0]} MiB used/live, executors {heap[1]} MiB")
    return row, summary


def row_torch(job, torch_json, wall_torch, dataset, label):
    j = json.loads(job)
    t = json.load(open(torch_json))
    same = all(j[k] == t[k] for k in ["n_valid", "n_min", "n_hard", "n_kept"])
    ratio = float(wall_torch) / j["wall_s"]
    per_core = ratio / j["cores"]
    row = (f"| {label} | {dataset} | {j['cores']} | {j['wall_s']:.1f} | {j['mean_printed']} | "
           f"{float(wall_torch):.1f} ({t['time']['import']:.1f} import, {t['time']['read']:.1f} "
           f"read, {t['time']['loss']:.1f} loss, {t['time']['select']:.1f} select) | "
           f"{t['mean']:.7f} | {'yes' if same else 'NO'} | {ratio:.2f} | {per_core:.2f} |")
    summary = (f"  ohem-mine ({j['cores']} core{'s' if j['cores'] > 1 else ''}): "
               f"{j['wall_s']:.1f}s, mean {j['mean_printed']}, n_hard {j['n_hard']}, n_kept "
               f"{j['n_kept']}\n"
               f"  PyTorch ({t['threads']} thread): {float(wall_torch):.1f}s, mean "
               f"{t['mean']:.7f}, n_hard {t['n_hard']}, n_kept {t['n_kept']} "
               f"(loss {t['time']['loss']:.1f}s = "
               f"{t['pixels'] / t['time']['loss'] / 1e6:.1f} Mpx/s)\n"
               f"  counts equal: {same}; PyTorch time / job time = {ratio:.2f} "
               f"({per_core:.2f} per job core)")
    return row, summary


def insert(path, marker, row):
    text = open(path).read()
    if marker not in text:
        sys.exit(f"bench_report: marker {marker} not found in {path}")
    text = text.replace(marker, row + "\n" + marker, 1)
    open(path, "w").write(text)


def load(path):
    return json.load(open(path)) if os.path.exists(path) else None


def pixels_of(ds):
    g = json.load(open(os.path.join(ds, "dataset.json")))["generator"]
    return g["images"] * g["height"] * g["width"]


def loads(m):
    return f"load {m['load_start']:.1f}-{m['load_end']:.1f}"


def fmt(x, spec=".2f", none="n/a"):
    return none if x is None else format(x, spec)


def wall_breakdown(ev, wall_s):
    """Process wall time split by the event log: before the application, before the first
    job, inside jobs (union of job intervals), between jobs, after the last job, and exit."""
    iv = ev["job_intervals"]
    if not iv or ev["app_start"] is None:
        return None
    union = 0
    cur_a, cur_b = iv[0]
    for a, b in iv[1:]:
        if a > cur_b:
            union += cur_b - cur_a
            cur_a, cur_b = a, b
        else:
            cur_b = max(cur_b, b)
    union += cur_b - cur_a
    first, last = iv[0][0], max(b for _, b in iv)
    app = (ev["app_end"] or last) - ev["app_start"]
    return {"launch_s": wall_s - app / 1e3, "to_first_job_s": (first - ev["app_start"]) / 1e3,
            "in_jobs_s": union / 1e3, "between_jobs_s": (last - first - union) / 1e3,
            "after_last_job_s": ((ev["app_end"] or last) - last) / 1e3}


def final(run, bench_md=None):
    m = load(os.path.join(run, "meta.json"))
    end = load(os.path.join(run, "end.json")) or {}
    cores = int(m["cores"])
    out = []
    p = out.append
    p(f"ohem-bench {m['label']} ({m['started']} to {end.get('ended', '?')}), commit "
      f"{m['commit']}{' (uncommitted changes)' if m.get('dirty') == 'yes' else ''}")
    p(f"machine: {m['nproc']} cores, {m['cpu']}, {m['ram_gib']} GiB; master {m['master']} "
      f"({cores} cores); load average {m['load_start']} at the start, "
      f"{end.get('load_end', '?')} at the end")
    p(f"command: {m['command']}")
    # the kernel
    kernel = None
    kj = load(os.path.join(run, "kernel.json"))
    if kj:
        pm = kj[0]["primaryMetric"]
        km = load(os.path.join(run, "kernel.meta.json"))
        kernel = pm["score"]
        p(f"\nkernel (JMH, one thread, C={m['classes']} {m['dtype']}, full size): "
          f"{pm['score']:.2f} +- {pm['scoreError']:.2f} Mpx/s per core ({loads(km)})")
    # the job at each size
    sizes = []
    for f in glob.glob(os.path.join(run, "mine-n*.meta.json")):
        tag = re.search(r"mine-(n\d+)\.meta", f).group(1)
        mm = load(f)
        fig = mine(os.path.join(run, f"mine-{tag}.log"), mm["wall_s"], cores)
        px = pixels_of(mm["dataset"])
        ev = spark_events.analyse(spark_events.read_events(os.path.join(run, f"events-{tag}")), px)
        sizes.append({"tag": tag, "meta": mm, "fig": fig, "px": px, "ev": ev,
                      "images": fig["images"], "ds": mm["dataset"]})
    sizes.sort(key=lambda x: x["px"])
    if not sizes:
        sys.exit("bench_report: no ohem-mine run in " + run)
    small, big = sizes[0], sizes[-1]
    p("\nohem-mine, wall time per dataset (whole process):")
    for z in sizes:
        f = z["fig"]
        p(f"  {z['images']:4d} images, {z['px'] / 1e6:7.1f} Mpx: wall {f['wall_s']:6.2f} s, CPU "
          f"{z['meta'].get('cpu_s', float('nan')):6.1f} s (in the "
          f"job: losses {f['losses_s']:.2f}, selection {f['selection_s']:.2f}, write "
          f"{f['write_s']:.2f}, total {f['job_total_s']:.2f}) {loads(z['meta'])}")
    linear = None
    if len(sizes) >= 3:
        slopes = [(b["fig"]["wall_s"] - a["fig"]["wall_s"]) / ((b["px"] - a["px"]) / 1e6)
                  for a, b in zip(sizes, sizes[1:])]
        spread = max(slopes) / min(slopes) - 1 if min(slopes) > 0 else float("inf")
        linear = spread <= 0.15
        p("  linearity: wall s per Mpx between consecutive sizes " + ", ".join(
            f"{x:.3f}" for x in slopes) + f"; spread {100 * spread:.0f}% -> "
            f"{'linear within 15%' if linear else 'NOT linear within 15%'}")
    marginal = job_marginal = cpu_marginal = None
    if big["px"] > small["px"]:
        dpx = big["px"] - small["px"]
        dt = big["fig"]["wall_s"] - small["fig"]["wall_s"]
        dj = big["fig"]["job_total_s"] - small["fig"]["job_total_s"]
        marginal = dpx / dt / cores / 1e6 if dt > 0 else None
        job_marginal = dpx / dj / cores / 1e6 if dj > 0 else None
        dc = big["meta"].get("cpu_s", 0) - small["meta"].get("cpu_s", 0)
        cpu_marginal = dpx / dc / 1e6 if dc > 0 else None
        p(f"  marginal ({big['images']} against {small['images']} images): "
          f"{fmt(marginal)} Mpx/s per core from wall times ({fmt(job_marginal)} from the job's "
          f"own total); {fmt(cpu_marginal)} Mpx per CPU-second of the whole process (JIT, GC "
          f"and driver included: less sensitive to the load than wall times)")
    th = [load(os.path.join(run, f"mine-{z['tag']}.threads.json")) for z in sizes]
    if all(th):
        kinds = ["executor tasks", "JIT compilers", "GC", "driver main", "other threads"]
        p("  CPU s per JVM thread kind (jobs/lib/thread_cpu.py), at each size" + (
            " and marginal ns per added pixel:" if big["px"] > small["px"] else ":"))
        for k in kinds:
            vals = [t["kinds"].get(k, 0.0) for t in th]
            marg = ((vals[-1] - vals[0]) * 1e9 / (big["px"] - small["px"])
                    if big["px"] > small["px"] else None)
            p(f"    {k:16s} " + "  ".join(f"{v:7.2f}" for v in vals) +
              (f"   {marg:7.1f} ns/px" if marg is not None else ""))
        if big["px"] > small["px"]:
            djvm = th[-1]["cpu_s"] - th[0]["cpu_s"]
            p(f"    {'all':16s} " + "  ".join(f"{t['cpu_s']:7.2f}" for t in th) +
              f"   {djvm * 1e9 / (big['px'] - small['px']):7.1f} ns/px = "
              f"{(big['px'] - small['px']) / djvm / 1e6 if djvm > 0 else float('nan'):.2f} Mpx "
              f"per JVM CPU-second")
    ratio = marginal / kernel if marginal and kernel else None
    p(f"  marginal / kernel = {fmt(ratio)} (goal >= 0.5); per CPU-second / kernel = "
      f"{fmt(cpu_marginal / kernel if cpu_marginal and kernel else None)}")
    # per Spark job
    p(f"\nper Spark job at {big['images']} images ({big['px'] / 1e6:.1f} Mpx) and marginal "
      f"against {small['images']} (executor time per label pixel; run = task threads' wall, "
      f"CPU = their CPU):")
    p(f"  {'job':40s} {'wall s':>7s} {'run ns/px':>10s} {'CPU ns/px':>10s} {'marg. run':>10s} "
      f"{'marg. CPU':>10s} {'GC ms':>6s}")
    sm = {j["label"]: j for j in small["ev"]["jobs"]}
    dpx = big["px"] - small["px"]
    stage_marg = {}
    for j in big["ev"]["jobs"]:
        # a job the smaller run did not need (one more histogram level) counts whole
        s0 = sm.get(j["label"], {"run_ms": 0, "cpu_ns": 0})
        mr = (j["run_ms"] - s0["run_ms"]) * 1e6 / dpx if dpx else None
        mc = (j["cpu_ns"] - s0["cpu_ns"]) / dpx if dpx else None
        stage_marg[j["label"]] = mc
        p(f"  {j['label'][:40]:40s} {j['wall_ms'] / 1e3:7.2f} {j['run_ns_px']:10.1f} "
          f"{j['cpu_ns_px']:10.1f} {fmt(mr, '10.1f', '       n/a')} "
          f"{fmt(mc, '10.1f', '       n/a')} {j['gc_ms']:6d}")
    tb, ts = big["ev"]["totals"], small["ev"]["totals"]
    p(f"  {'all jobs':40s} {'':7s} {tb['run_ms'] * 1e6 / big['px']:10.1f} "
      f"{tb['cpu_ns'] / big['px']:10.1f} "
      f"{fmt((tb['run_ms'] - ts['run_ms']) * 1e6 / dpx if dpx else None, '10.1f', '       n/a')} "
      f"{fmt((tb['cpu_ns'] - ts['cpu_ns']) / dpx if dpx else None, '10.1f', '       n/a')} "
      f"{tb['gc_ms']:6d}")
    wb = wall_breakdown(big["ev"], big["fig"]["wall_s"])
    if wb:
        p(f"  wall time of the {big['images']}-image run: {wb['launch_s']:.2f} s JVM and "
          f"SparkContext start, {wb['to_first_job_s']:.2f} s to the first job (session, "
          f"listing, planning), {wb['in_jobs_s']:.2f} s in jobs, {wb['between_jobs_s']:.2f} s "
          f"between jobs (driver: planning, scheduling, commits), {wb['after_last_job_s']:.2f} s "
          f"after the last")
    peaks = big["ev"]["executor_metric_peaks"]
    spill_mem, spill_disk = tb["spill_memory_bytes"], tb["spill_disk_bytes"]
    f = big["fig"]
    p(f"  heap: driver peak {f['driver_used_mib']} MiB used, {f['driver_live_mib']} MiB live "
      f"after GC (the job's watch); executor metrics peak JVMHeapMemory "
      f"{peaks.get('JVMHeapMemory', 0) >> 20} MiB, storage (the cache) "
      f"{peaks.get('OnHeapStorageMemory', 0) >> 20} MiB; spilled {spill_mem >> 20} MiB in "
      f"memory, {spill_disk >> 20} MiB to disk; peak execution memory of a task "
      f"{max(j['peak_execution_memory_bytes'] for j in big['ev']['jobs']) >> 20} MiB")
    # PyTorch
    torch = {}
    for f2 in glob.glob(os.path.join(run, "torch-n*.json")):
        if f2.endswith(".meta.json"):
            continue
        n = int(re.search(r"torch-n(\d+)\.json", f2).group(1))
        torch[n] = (load(f2), load(f2.replace(".json", ".meta.json")))
    torch_marginal = None
    counts_equal = None
    if torch:
        p(f"\nPyTorch (jobs/lib/ohem_pytorch.py, {cores} threads, float32), same files:")
        for n in sorted(torch):
            t, tm = torch[n]
            p(f"  {n:4d} images: wall {tm['wall_s']:.2f} s (import {t['time']['import']:.2f}, "
              f"read {t['time']['read']:.2f}, loss {t['time']['loss']:.2f} = "
              f"{t['pixels'] / t['time']['loss'] / t['threads'] / 1e6:.2f} Mpx/s per thread, "
              f"select {t['time']['select']:.2f}) {loads(tm)}")
        if big["images"] in torch:
            t = torch[big["images"]][0]
            diff = {k: t[k] - big["fig"][k] for k in ["n_valid", "n_min", "n_hard", "n_kept"]
                    if t[k] != big["fig"][k]}
            counts_equal = not diff
            p(f"  counts at {big['images']} images: " + ("equal to the job's" if not diff else
              "PyTorch minus job: " + ", ".join(f"{k} {v:+d}" for k, v in diff.items()) +
              " (PyTorch decides loss > -ln(thresh) on float32 losses, the job as exact "
              "arithmetic would, like the float64 golden reference)") +
              f"; mean {t['mean']:.7f} (float32), job {big['fig']['mean_printed']}")
        if small["images"] in torch and big["images"] in torch and small is not big:
            (ta, ma), (tb2, mb) = torch[small["images"]], torch[big["images"]]
            dt = mb["wall_s"] - ma["wall_s"]
            torch_marginal = (tb2["pixels"] - ta["pixels"]) / dt / tb2["threads"] / 1e6 \
                if dt > 0 else None
            dc = mb.get("cpu_s", 0) - ma.get("cpu_s", 0)
            tc = (tb2["pixels"] - ta["pixels"]) / dc / 1e6 if dc > 0 else None
            p(f"  marginal: {fmt(torch_marginal)} Mpx/s per thread, {fmt(tc)} Mpx per "
              f"CPU-second (job: {fmt(marginal)} per core, {fmt(cpu_marginal)} per CPU-second)")
    # start-up
    bare = [load(x)["wall_s"] for x in sorted(glob.glob(os.path.join(run, "startup-bare-*.json")))]
    tiny = [load(x)["wall_s"] for x in sorted(glob.glob(os.path.join(run, "startup-tiny-*.json")))]
    su = None
    if bare and tiny:
        lo = [load(x) for x in glob.glob(os.path.join(run, "startup-*.json"))]
        su = (statistics.median(bare), statistics.median(tiny))
        p(f"\nstart-up (medians of {len(bare)} alternating runs, load "
          f"{min(x['load_start'] for x in lo):.1f}-{max(x['load_end'] for x in lo):.1f}): "
          f"bare Spark session (count 1000 rows, write one Parquet file) {su[0]:.2f} s "
          f"[{', '.join(f'{x:.2f}' for x in bare)}], ohem-mine samples/tiny {su[1]:.2f} s "
          f"[{', '.join(f'{x:.2f}' for x in tiny)}]; ratio {su[1] / su[0]:.2f} (goal <= 1.2)")
    # library
    lib = None
    ll = os.path.join(run, "library.log")
    if os.path.exists(ll):
        runs = [dict(zip(["run", "mine", "write", "total"], map(float, r.groups()))) for r in
                re.finditer(r"warm-miner: run (\d+) mine ([\d.]+) s write ([\d.]+) s total "
                            r"([\d.]+) s", open(ll).read())]
        lm = load(os.path.join(run, "library.meta.json"))
        if runs:
            lib = runs[-1]
            lpx = pixels_of(big["ds"])
            p(f"\nlibrary call, warm session (OhemMiner {len(runs)} times in one JVM on "
              f"{lm['images']} images, {loads(lm)}): " + "; ".join(
                f"run {int(r['run'])} {r['total']:.2f} s (mine {r['mine']:.2f}, write "
                f"{r['write']:.2f})" for r in runs) + f"; the last = "
              f"{lpx / lib['total'] / cores / 1e6:.2f} Mpx/s per core (the job's wall on the "
              f"same data: {big['fig']['wall_s']:.2f} s)")
    # profile
    for name, title in [("thread-cpu.txt", "CPU per thread of the profiled run"),
                        ("profile.txt", "JFR profile of the profiled run"),
                        ("write-probe.log", "outputs written in a warm session "
                         "(OutputWriteProbe)"),
                        ("probe.log", "Spark-free steps (LossPassProbe)")]:
        fp = os.path.join(run, name)
        if os.path.exists(fp):
            body = [l for l in open(fp).read().splitlines() if not l.startswith(
                ("probe-json", "[")) and "WARN" not in l]
            p(f"\n{title} ({name}):")
            out.extend("  " + l for l in body)
    # the compact table
    rows = [("kernel Mpx/s per core (JMH)", fmt(kernel)),
            ("job marginal Mpx/s per core", fmt(marginal)),
            ("job marginal Mpx per CPU-second", fmt(cpu_marginal)),
            ("marginal / kernel (goal >= 0.5)", fmt(ratio)),
            ("PyTorch marginal Mpx/s per thread", fmt(torch_marginal)),
            (f"wall s at {', '.join(str(z['images']) for z in sizes)} images",
             ", ".join(f"{z['fig']['wall_s']:.1f}" for z in sizes) + (
                 "" if linear is None else (" (linear)" if linear else " (NOT linear)"))),
            ("peak heap MiB driver used / executor JVM",
             f"{big['fig']['driver_used_mib']} / {peaks.get('JVMHeapMemory', 0) >> 20}"),
            ("spilled MiB memory / disk", f"{spill_mem >> 20} / {spill_disk >> 20}"),
            ("start-up s bare / tiny (ratio, goal <= 1.2)",
             "n/a" if not su else f"{su[0]:.2f} / {su[1]:.2f} ({su[1] / su[0]:.2f})"),
            ("library, warm session, last run s", "n/a" if not lib else f"{lib['total']:.2f}")]
    p("\n" + "-" * 64)
    for k, v in rows:
        p(f"  {k:44s} {v}")
    p("-" * 64)
    print("\n".join(out))
    if bench_md:
        for z in sizes:
            row, _ = row_e2e(json.dumps(z["fig"]), os.path.join(z["ds"], "dataset.json"),
                             f"{m['label']} ({m['commit']}), {loads(z['meta'])}")
            insert(bench_md, "<!-- ohem-bench:end-to-end -->", row)
        walls = " / ".join(format(z["fig"]["wall_s"], ".1f") for z in sizes)
        short = {"loss pass": "loss pass", "bad-record split": "bad-record split",
                 "per-image totals": "totals", "top-k histogram pass": "top-k histogram",
                 "top-k tail count": "top-k tail", "write ": ""}
        def brief(label):
            for k, v in short.items():
                if label.startswith(k):
                    return v + label[len(k):].split(":")[0]
            return label
        stages = ", ".join(f"{brief(k)} {v:.0f}" for k, v in stage_marg.items()
                           if v is not None and v >= 0.5)
        row = (f"| {m['label']} | {m['commit']}{'+' if m.get('dirty') == 'yes' else ''} | {m['nproc']} x {m['cpu']} | "
               f"{m['load_start']}-{end.get('load_end', '?')} | {small['images']}-"
               f"{big['images']} x {m['height']}x{m['width']}, C={m['classes']} {m['dtype']} | "
               f"{fmt(kernel)} | {fmt(marginal)} | **{fmt(ratio)}** | {fmt(torch_marginal)} | "
               f"{walls}"
               f"{'' if linear is None else (' yes' if linear else ' no')} | {stages} | "
               f"{big['fig']['driver_used_mib']} / {peaks.get('JVMHeapMemory', 0) >> 20} | "
               f"{spill_mem >> 20} / {spill_disk >> 20} | "
               f"{'n/a' if not su else f'{su[0]:.1f} / {su[1]:.1f} ({su[1] / su[0]:.2f})'} | "
               f"{'n/a' if not lib else format(lib['total'], '.1f')} | `{m['command']}` |")
        insert(bench_md, "<!-- ohem-bench:issue13 -->", row)


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "final":
        final(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None)
    elif cmd == "mine":
        print(json.dumps(mine(*sys.argv[2:5])))
    elif cmd == "row-e2e":
        r, s = row_e2e(*sys.argv[2:5])
        print(r)
        print(s, file=sys.stderr)
    elif cmd == "row-torch":
        r, s = row_torch(*sys.argv[2:7])
        print(r)
        print(s, file=sys.stderr)
    elif cmd == "insert":
        insert(*sys.argv[2:5])
    else:
        sys.exit(__doc__)
