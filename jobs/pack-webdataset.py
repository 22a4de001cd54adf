#!/usr/bin/env python3
"""Packs a dataset directory (logits/<id>.npy, labels/<id>.png|npy, dataset.json) into a folder
of WebDataset tars that ohem-mine reads (--format webdataset): <id>.logits.npy then
<id>.seg.png (or <id>.labels.npy) per sample, in id order, N samples a tar, and dataset.json
beside the tars. Standard library only.

  jobs/pack-webdataset.py SRC OUT [--per-tar 10000]

Used for the tar trial of BENCHMARKS.md, "Driver memory" (many small samples per tar).
"""
import argparse
import os
import shutil
import sys
import tarfile


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("src")
    p.add_argument("out")
    p.add_argument("--per-tar", type=int, default=10000, help="samples per tar (default 10000)")
    a = p.parse_args()
    if a.per_tar < 1:
        sys.exit("--per-tar must be >= 1")
    labels = {}
    for name in os.listdir(os.path.join(a.src, "labels")):
        stem, ext = os.path.splitext(name)
        if ext in (".png", ".npy") and not name.startswith((".", "_")):
            labels[stem] = name
    ids = sorted(n[:-4] for n in os.listdir(os.path.join(a.src, "logits"))
                 if n.endswith(".npy") and not n.startswith((".", "_")))
    os.makedirs(a.out, exist_ok=False)
    tar = None
    for i, key in enumerate(ids):
        if i % a.per_tar == 0:
            if tar:
                tar.close()
            tar = tarfile.open(os.path.join(a.out, "shard-%06d.tar" % (i // a.per_tar)), "w",
                               format=tarfile.USTAR_FORMAT)
        tar.add(os.path.join(a.src, "logits", key + ".npy"), key + ".logits.npy")
        label = labels.get(key)
        if label:
            member = key + (".seg.png" if label.endswith(".png") else ".labels.npy")
            tar.add(os.path.join(a.src, "labels", label), member)
    if tar:
        tar.close()
    if os.path.exists(os.path.join(a.src, "dataset.json")):
        shutil.copy(os.path.join(a.src, "dataset.json"), os.path.join(a.out, "dataset.json"))
    print("packed %d samples into %d tars in %s" % (len(ids), (len(ids) + a.per_tar - 1)
                                                     // a.per_tar, a.out))


if __name__ == "__main__":
    main()
