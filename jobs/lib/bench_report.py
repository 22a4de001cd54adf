#!/usr/bin/python3
"""Parses ohem-mine / ohem_pytorch.py outputs for jobs/ohem-bench.sh, prints a summary and
inserts table rows into BENCHMARKS.md before the marker lines
<!-- ohem-bench:end-to-end --> and <!-- ohem-bench:pytorch -->.

  bench_report.py mine LOG WALL_S CORES                -> one JSON line of figures
  bench_report.py row-e2e FIGURES_JSON DATASET_JSON    -> markdown row (end to end)
  bench_report.py row-torch JOB_JSON TORCH_JSON WALL_TORCH DATASET -> markdown row + summary
  bench_report.py insert FILE MARKER ROW               -> inserts ROW before MARKER in FILE
"""
import json
import re
import sys


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


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "mine":
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
