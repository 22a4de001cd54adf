#!/usr/bin/python3
"""Writes samples/tiny, the job's built-in sample, and its PyTorch reference result.

Three 48x64 images, 5 classes: label masks as a palette PNG (index = label, colours differ),
an 8-bit grey PNG and an int64 .npy, with ignored (255) pixels; logits as float16 at 1/4
resolution (bilinear resize needed) and float32 at full size. expected.json holds PyTorch's
OHEM results (thresh 0.7, factor 16, float64), per image and for the whole folder.
Needs Debian's python3-torch, python3-numpy, python3-pil. Usage: samples/make_tiny.py
"""
import json, os
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tiny")
C, H, W = 5, 48, 64
rng = np.random.default_rng(7)


def label_mask(seed):
    r = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:H, 0:W]
    lab = np.zeros((H, W), np.int64)
    for c in range(1, C):
        cy, cx, rad = r.integers(0, H), r.integers(0, W), r.integers(8, 20)
        lab[(yy - cy) ** 2 + (xx - cx) ** 2 < rad ** 2] = c
    lab[:, :2] = 255
    lab[r.random((H, W)) < 0.03] = 255
    return lab


def logits_for(lab, scale, margin, seed):
    r = np.random.default_rng(seed)
    onehot = np.zeros((C, H, W), np.float32)
    for c in range(C):
        onehot[c] = (lab == c)
    x = torch.from_numpy(onehot)[None]
    if scale > 1:
        x = F.avg_pool2d(x, scale)
    x = x * margin + torch.from_numpy(r.normal(0, 1.2, x.shape).astype(np.float32))
    return x[0]


def ohem(logits, labels, thresh=0.7, ignore=255, factor=16):
    x = logits.to(torch.float64)
    if x.shape[-2:] != labels.shape[-2:]:
        x = F.interpolate(x, size=labels.shape[-2:], mode="bilinear", align_corners=False)
    loss = F.cross_entropy(x, labels, ignore_index=ignore, reduction="none").reshape(-1)
    n_valid = int((labels != ignore).sum())
    n_min = n_valid // factor
    hard = loss[loss > -torch.log(torch.tensor(thresh, dtype=torch.float64))]
    used_topk = hard.numel() < n_min
    kept = loss.topk(n_min).values if used_topk else hard
    return dict(mean=float(kept.mean()) if kept.numel() else None, n_valid=n_valid, n_min=n_min,
                n_hard=int(hard.numel()), used_topk=bool(used_topk), n_kept=int(kept.numel()),
                kth_loss=float(kept.min()) if used_topk and kept.numel() else None)


def main():
    os.makedirs(os.path.join(OUT, "logits"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "labels"), exist_ok=True)
    palette = [0, 0, 0, 128, 0, 0, 0, 128, 0, 128, 128, 0, 0, 0, 128] + [0] * (3 * 250) + [224, 224, 192]
    specs = [("street_0001", 4, 6.0, np.float16, "palette"),
             ("street_0002", 4, 5.0, np.float16, "grey"),
             ("street_0003", 1, 7.0, np.float32, "npy")]
    per_image, all_logits, all_labels = {}, [], []
    for i, (name, scale, margin, dtype, fmt) in enumerate(specs):
        lab = label_mask(100 + i)
        lg = logits_for(lab, scale, margin, 200 + i).numpy().astype(dtype)
        np.save(os.path.join(OUT, "logits", name + ".npy"), lg)
        if fmt == "palette":
            im = Image.fromarray(lab.astype(np.uint8), mode="P")
            im.putpalette(palette)
            im.save(os.path.join(OUT, "labels", name + ".png"))
        elif fmt == "grey":
            Image.fromarray(lab.astype(np.uint8), mode="L").save(
                os.path.join(OUT, "labels", name + ".png"))
        else:
            np.save(os.path.join(OUT, "labels", name + ".npy"), lab)
        t_lg = torch.from_numpy(lg.astype(np.float32))[None]
        t_lb = torch.from_numpy(lab)[None]
        per_image[name] = ohem(t_lg, t_lb)
        x = t_lg.to(torch.float64)
        if x.shape[-2:] != t_lb.shape[-2:]:
            x = F.interpolate(x, size=(H, W), mode="bilinear", align_corners=False)
        all_logits.append(x)
        all_labels.append(t_lb)
    dataset = ohem(torch.cat(all_logits), torch.cat(all_labels))
    with open(os.path.join(OUT, "dataset.json"), "w") as f:
        json.dump({"classes": C, "ignore_index": 255, "label_convention": "palette_index"}, f,
                  indent=1)
    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump({"per_image": per_image, "dataset": dataset,
                   "note": "PyTorch 1.13, float64, thresh 0.7, factor 16, ignore 255"}, f, indent=1)
    print(json.dumps(dataset))


if __name__ == "__main__":
    main()
