#!/usr/bin/python3
"""Golden cases of the options the field uses, computed by PyTorch (Debian python3-torch 1.13).

The layout and fields are those of ../golden (see shared/golden/README.md), with three more
parameters in expected.json's params, each as PyTorch defines it:

  min_kept         n_min = min(n_valid, max(n_valid // factor, min_kept)); with factor 0,
                   n_min = min(n_valid, min_kept) (HRNet's and PaddleSeg's OhemCrossEntropy)
  label_smoothing  F.cross_entropy(..., label_smoothing=E, reduction='none') (ATen: (1 - E) * nll
                   + E / C * sum_c w[c] * -log p_c, 0 where ignored)
  align_corners    F.interpolate(..., mode='bilinear', align_corners=True) before the loss

Run from this folder: /usr/bin/python3 make_golden_options.py
"""
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def ohem(logits, labels, p, f64=False):
    dt = torch.float64 if f64 else torch.float32
    x = logits.to(dt)
    if x.shape[-2:] != labels.shape[-2:]:
        x = F.interpolate(x, size=labels.shape[-2:], mode="bilinear",
                          align_corners=p["align_corners"])
    w = None if p["class_weight"] is None else torch.tensor(p["class_weight"], dtype=dt)
    loss = F.cross_entropy(x, labels, weight=w, ignore_index=p["ignore_index"],
                           reduction="none", label_smoothing=p["label_smoothing"])
    flat = loss.reshape(-1)
    t = -torch.log(torch.tensor(p["thresh"], dtype=dt))
    n_valid = int((labels != p["ignore_index"]).sum())
    fraction = 0 if p["factor"] == 0 else n_valid // p["factor"]
    n_min = fraction if p["min_kept"] == 0 else min(n_valid, max(fraction, p["min_kept"]))
    hard_mask = flat > t
    n_hard = int(hard_mask.sum())
    used_topk = n_hard < n_min
    if used_topk:
        vals, idx = flat.topk(n_min)
        kept_idx = idx
    else:
        vals = flat[hard_mask]
        kept_idx = hard_mask.nonzero().reshape(-1)
    mean = float(torch.mean(vals)) if vals.numel() > 0 else float("nan")
    kth = float(vals.min()) if used_topk and vals.numel() > 0 else None
    lab = labels.reshape(-1)
    kept_valid = sorted(int(i) for i in kept_idx if int(lab[i]) != p["ignore_index"])
    tie = False
    if used_topk and vals.numel() > 0:
        tie = int((flat == vals.min()).sum()) > int((vals == vals.min()).sum())
    return dict(loss=loss, mean=mean, n_valid=n_valid, n_min=n_min, n_hard=n_hard,
                used_topk=bool(used_topk), kth_loss=kth, kept_indices=kept_valid,
                n_kept=int(vals.numel()), tie_at_kth=bool(tie), loss_threshold=float(t))


def strict(o):  # strict JSON: NaN (nothing kept) becomes null
    if isinstance(o, float) and o != o:
        return None
    if isinstance(o, dict):
        return {k: strict(v) for k, v in o.items()}
    if isinstance(o, list):
        return [strict(v) for v in o]
    return o


def case(name, logits, labels, note, thresh=0.7, ignore=255, factor=16, weight=None,
         min_kept=0, label_smoothing=0.0, align_corners=False, batches=None):
    p = dict(thresh=thresh, ignore_index=ignore, factor=factor, class_weight=weight,
             min_kept=min_kept, label_smoothing=label_smoothing, align_corners=align_corners)
    d = os.path.join(HERE, name)
    os.makedirs(os.path.join(d, "logits"), exist_ok=True)
    os.makedirs(os.path.join(d, "labels"), exist_ok=True)
    for n in range(labels.shape[0]):
        np.save(os.path.join(d, "logits", f"{n:04d}.npy"), logits[n].numpy())
        np.save(os.path.join(d, "labels", f"{n:04d}.npy"), labels[n].numpy())
    lab = labels.to(torch.int64)
    r32 = ohem(logits, lab, p)
    r64 = ohem(logits, lab, p, f64=True)
    np.save(os.path.join(d, "losses_f32.npy"), r32["loss"].numpy().astype(np.float32))
    per = []
    for n in range(labels.shape[0]):
        g = ohem(logits[n:n + 1], lab[n:n + 1], p, f64=True)
        per.append({"image": n, "mean": g["mean"], "n_valid": g["n_valid"], "n_min": g["n_min"],
                    "n_hard": g["n_hard"], "used_topk": g["used_topk"]})
    per_batch = None
    if batches is not None:
        # --group-by batch: each batch one OHEM call, as in training; batches.csv for the job
        with open(os.path.join(d, "batches.csv"), "w") as f:
            f.write("image_id,batch\n")
            for n, b in enumerate(batches):
                f.write(f"{n:04d},{b}\n")
        per_batch = []
        for b in sorted(set(batches)):
            idx = [n for n, x in enumerate(batches) if x == b]
            g = ohem(logits[idx], lab[idx], p, f64=True)
            per_batch.append({"batch": b, "n_images": len(idx), "mean": g["mean"],
                              "n_valid": g["n_valid"], "n_min": g["n_min"], "n_hard": g["n_hard"],
                              "n_kept": g["n_kept"], "used_topk": g["used_topk"],
                              "kth_loss": g["kth_loss"]})
    exp = {
        "note": note,
        "params": p,
        "shape": {"logits": list(logits.shape), "labels": list(labels.shape),
                  "logits_dtype": str(logits.dtype).replace("torch.", ""),
                  "labels_dtype": str(labels.dtype).replace("torch.", "")},
        "index_order": "flat index n*H*W + y*W + x over the labels' [N,H,W]",
        "float32": {k: v for k, v in r32.items() if k != "loss"},
        "float64": {k: v for k, v in r64.items() if k != "loss"},
        "per_image_float64": per,
    }
    if per_batch is not None:
        exp["batches"] = batches
        exp["per_batch_float64"] = per_batch
    with open(os.path.join(d, "expected.json"), "w") as f:
        json.dump(strict(exp), f, indent=1, allow_nan=False)
    print(f"{name:34s} f64={r64['mean']!r:24} topk={r64['used_topk']} n_valid={r64['n_valid']} "
          f"n_min={r64['n_min']} n_hard={r64['n_hard']}")


def easy(n, c, h, w, margin, g, noise=1.0):
    labels = torch.randint(0, c, (n, h, w), generator=g)
    logits = torch.randn(n, c, h, w, generator=g) * noise
    logits.scatter_add_(1, labels.unsqueeze(1), torch.full((n, 1, h, w), float(margin)))
    return logits, labels


def main():
    g = torch.Generator().manual_seed(15)
    lg, lb = easy(2, 5, 8, 10, 4.0, g)
    lb[0, :2, :] = 255
    case("min_kept_above_fraction", lg, lb, min_kept=40,
         note="n_valid // 16 = 8, min_kept 40 raises n_min: top-k of 40")
    case("min_kept_below_fraction", lg, lb, factor=4, min_kept=3,
         note="n_valid // 4 = 35 > min_kept 3: the reference count")
    case("min_kept_capped_by_n_valid", lg, lb, min_kept=1000,
         note="min_kept 1000 > n_valid 140: n_min = n_valid, every valid pixel kept")
    case("factor_0_min_kept", lg, lb, factor=0, min_kept=25,
         note="factor 0 (HRNet, PaddleSeg): n_min = min(n_valid, min_kept) = 25")

    lg, lb = easy(2, 4, 7, 9, 3.0, g)
    lb[1, 3, :] = 255
    case("label_smoothing_0_1", lg, lb, label_smoothing=0.1,
         note="nn.CrossEntropyLoss(label_smoothing=0.1), 0 on ignored pixels")
    case("label_smoothing_weights", lg, lb, label_smoothing=0.2,
         weight=[0.5, 2.0, 1.0, 0.0],
         note="label smoothing 0.2 with class weights (one 0): ATen's weighted smoothing term")
    lg2, lb2 = easy(1, 3, 6, 6, 0.0, g)
    lg2 = lg2 * 50.0
    case("label_smoothing_extreme_logits", lg2, lb2, label_smoothing=0.3, factor=2,
         note="logits of magnitude ~100: every class's -log p must stay exact")

    lg, lb = easy(2, 4, 16, 20, 4.0, g)
    small = F.avg_pool2d(lg, 4)
    case("align_corners_upsample", small, lb, align_corners=True, thresh=0.3,
         note="logits [2,4,4,5] to labels [2,16,20], bilinear, align_corners=True")
    lg3, lb3 = easy(1, 3, 9, 7, 3.0, g)
    small3 = F.avg_pool2d(lg3, 3, ceil_mode=True)
    lb3[0, 0, :] = 255
    case("align_corners_smoothing_min_kept", small3, lb3, align_corners=True,
         label_smoothing=0.05, min_kept=30,
         note="all three options at once: [1,3,3,3] logits to [1,9,7] labels")
    lg4, lb4 = easy(1, 2, 5, 1, 1.0, g)
    case("align_corners_one_column", lg4[:, :, :2, :], lb4, align_corners=True,
         note="an axis of size 1 on both sides and an upsample 2 -> 5: scale 0 / (in-1)/(out-1)")

    lg5, lb5 = easy(6, 4, 8, 10, 7.0, g)
    lg5[2:4] = lg5[2:4] * 0.1  # a hard batch: the threshold branch
    lb5[5, :, :] = 255
    case("batch_mixed", lg5, lb5, batches=[7, 7, 3, 3, 11, 11],
         note="--group-by batch: three training batches (ids not in image order), one on the "
              "threshold branch, two on the top-k branch; summary mean = mean of batch means")
    lg6, lb6 = easy(4, 3, 6, 6, 9.0, g)
    lb6[0:2] = 255
    lb6[2, :, 1:] = 255
    case("batch_with_empty", lg6, lb6, batches=[0, 0, 1, 2], min_kept=0,
         note="batch 0 has no valid pixel and batch 1 n_min 0 without hard pixel: EMPTY "
              "batches, counted, not averaged")


if __name__ == "__main__":
    main()
