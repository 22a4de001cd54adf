#!/usr/bin/env python3
"""Per-class reference figures of folders of ../shared/data/real, computed by PyTorch.

The data stay outside the repository; only these figures are kept here (<folder>.json). Each
folder is one batch: labels from labels/<id>.png (the palette index or grey value, as PIL reads
it) after the folder's label convention (palette_index / train_ids: as stored; void=K: K becomes
the ignore index), logits/<id>.npy [C,h,w] in float64, resized bilinearly (align_corners=False)
to the label size, then per class c, over the valid pixels:

  n_valid (label == c), n_predicted (torch.argmax == c), n_correct (both),
  iou = n_correct / (n_valid + n_predicted - n_correct), acc = n_correct / n_valid,
  mean_loss = mean of F.cross_entropy(reduction='none') over the pixels labelled c
  (null where a denominator is 0); miou = mean of the non-null iou; aacc = correct / valid.

Run: /usr/bin/python3 make_real_classes.py ../../../../../shared/data/real camvid pan_skin_clothes_hair
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))


def ratio(a, b):
    return None if b == 0 else a / b


def one(folder):
    meta = json.load(open(os.path.join(folder, 'dataset.json')))
    ignore = meta.get('ignore_index', 255)
    conv = meta.get('label_convention', 'train_ids')
    c = meta['classes']
    ids = sorted(f[:-4] for f in os.listdir(os.path.join(folder, 'logits')) if f.endswith('.npy'))
    stats = np.zeros((c, 3), dtype=np.int64)
    loss_sum = np.zeros(c)
    for i in ids:
        lab = np.array(Image.open(os.path.join(folder, 'labels', i + '.png'))).astype(np.int64)
        if conv.startswith('void='):
            lab[lab == int(conv[5:])] = ignore
        elif conv not in ('train_ids', 'palette_index'):
            raise SystemExit('convention not handled here: ' + conv)
        logits = torch.from_numpy(np.load(os.path.join(folder, 'logits', i + '.npy'))
                                  .astype(np.float64))[None]
        h, w = lab.shape
        if logits.shape[2:] != (h, w):
            logits = F.interpolate(logits, size=(h, w), mode='bilinear', align_corners=False)
        y = torch.from_numpy(lab)[None]
        loss = F.cross_entropy(logits, y, ignore_index=ignore, reduction='none')[0]
        pred = torch.argmax(logits, dim=1)[0]
        valid = y[0] != ignore
        for k in range(c):
            lk = valid & (y[0] == k)
            pk = valid & (pred == k)
            stats[k] += [int(lk.sum()), int(pk.sum()), int((lk & pk).sum())]
            loss_sum[k] += float(loss[lk].sum())
    rows, ious = [], []
    for k in range(c):
        nv, npd, nc = (int(v) for v in stats[k])
        iou = ratio(nc, nv + npd - nc)
        if iou is not None:
            ious.append(iou)
        rows.append({'class_id': k, 'n_valid': nv, 'n_predicted': npd, 'n_correct': nc,
                     'iou': iou, 'acc': ratio(nc, nv),
                     'mean_loss': None if nv == 0 else loss_sum[k] / nv})
    return {'classes': c, 'images': len(ids), 'per_class': rows,
            'miou': ratio(sum(ious), len(ious)),
            'aacc': ratio(int(stats[:, 2].sum()), int(stats[:, 0].sum())),
            'torch': torch.__version__}


if __name__ == '__main__':
    root = sys.argv[1]
    for name in sys.argv[2:]:
        with open(os.path.join(HERE, name + '.json'), 'w') as f:
            json.dump(one(os.path.join(root, name)), f, indent=1)
            f.write('\n')
