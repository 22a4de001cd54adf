#!/usr/bin/python3
"""Dataset-wide OHEM cross-entropy in PyTorch, over the same dataset directory ohem-mine reads.

The rule is ohem() of shared/tools/golden.py (the reference OhemCELoss), in float32 as PyTorch
trains: per image, logits [C,h,w] (float16/float32 npy, cast to float32), bilinearly resized to
the label size when they differ (align_corners=False), cross_entropy(reduction='none',
ignore_index); then over all pixels of the dataset as one batch:
  n_valid = labels != ignore;  n_min = n_valid // factor;  hard = loss > -ln(thresh)
  kept = hard, or loss.topk(n_min) when |hard| < n_min;  mean = kept.mean()

Usage: ohem_pytorch.py --input DIR [--thresh 0.7] [--factor 16] [--ignore-index 255]
                       [--threads 1]
Prints one JSON object: the results, and the time of each phase (import, read, loss, select,
total) in seconds, measured inside this process with time.perf_counter().
Labels: labels/<id>.npy (any integer type) or labels/<id>.png (8-bit grey; needs python3-pil).
"""
import argparse
import json
import os
import sys
import time


def main():
    t_start = time.perf_counter()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--input", required=True)
    ap.add_argument("--thresh", type=float, default=0.7)
    ap.add_argument("--factor", type=int, default=16)
    ap.add_argument("--ignore-index", type=int, default=255)
    ap.add_argument("--threads", type=int, default=1)
    a = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", str(a.threads))
    import numpy as np
    import torch
    import torch.nn.functional as F
    torch.set_num_threads(a.threads)
    t_import = time.perf_counter()

    logits_dir = os.path.join(a.input, "logits")
    labels_dir = os.path.join(a.input, "labels")
    ids = sorted(f[:-4] for f in os.listdir(logits_dir) if f.endswith(".npy"))
    if not ids:
        sys.exit("ohem_pytorch: no logits/<id>.npy under " + a.input)
    read_s = 0.0
    loss_s = 0.0
    losses = []
    labels_all = []
    for i in ids:
        t0 = time.perf_counter()
        lg = np.load(os.path.join(logits_dir, i + ".npy"))
        npy = os.path.join(labels_dir, i + ".npy")
        if os.path.exists(npy):
            lb = np.load(npy)
        else:
            from PIL import Image
            lb = np.asarray(Image.open(os.path.join(labels_dir, i + ".png")))
        t1 = time.perf_counter()
        x = torch.from_numpy(lg).unsqueeze(0).to(torch.float32)
        y = torch.from_numpy(lb.astype(np.int64)).unsqueeze(0)
        if x.shape[-2:] != y.shape[-2:]:
            x = F.interpolate(x, size=y.shape[-2:], mode="bilinear", align_corners=False)
        loss = F.cross_entropy(x, y, ignore_index=a.ignore_index, reduction="none")
        losses.append(loss.reshape(-1))
        labels_all.append(y.reshape(-1))
        t2 = time.perf_counter()
        read_s += t1 - t0
        loss_s += t2 - t1

    t3 = time.perf_counter()
    flat = torch.cat(losses)
    lab = torch.cat(labels_all)
    t = -torch.log(torch.tensor(a.thresh, dtype=torch.float32))
    n_valid = int((lab != a.ignore_index).sum())
    n_min = n_valid // a.factor
    hard_mask = flat > t
    n_hard = int(hard_mask.sum())
    used_topk = n_hard < n_min
    if used_topk:
        vals = flat.topk(n_min).values
    else:
        vals = flat[hard_mask]
    mean = float(torch.mean(vals)) if vals.numel() > 0 else float("nan")
    mean_f64 = float(torch.mean(vals.double())) if vals.numel() > 0 else float("nan")
    kth = float(vals.min()) if used_topk and vals.numel() > 0 else None
    t4 = time.perf_counter()
    out = {
        "mean": None if mean != mean else mean,
        "mean_of_f32_losses_in_f64": None if mean_f64 != mean_f64 else mean_f64,
        "n_images": len(ids), "pixels": int(flat.numel()), "n_valid": n_valid, "n_min": n_min,
        "n_hard": n_hard, "n_kept": int(vals.numel()), "used_topk": bool(used_topk),
        "kth_loss": kth, "loss_threshold": float(t),
        "threads": torch.get_num_threads(), "torch": torch.__version__,
        "time": {"import": t_import - t_start, "read": read_s, "loss": loss_s,
                 "select": t4 - t3, "total": t4 - t_start},
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
