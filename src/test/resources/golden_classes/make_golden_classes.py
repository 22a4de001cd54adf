#!/usr/bin/env python3
"""Per-class reference figures of the golden cases, computed by PyTorch (python3-torch).

For every case of ../golden (each image's logits/NNNN.npy and labels/NNNN.npy, parameters in
expected.json) writes <case>.json here with, over all images as one batch:

  classes      C
  labels       [N*H*W] the golden labels, flattened (image n, row y, column x)
  argmax       [N*H*W] torch.argmax(logits, dim=1) after the bilinear resize (align_corners=False)
               where the logits are smaller than the labels; ties go to the first maximum
  loss64       [N*H*W] F.cross_entropy(..., weight, ignore_index, reduction='none') in float64
  per_class    per class c: n_valid (label == c), n_predicted (argmax == c on valid pixels),
               n_correct (both), iou, acc, mean_loss (null where the denominator is 0)
  miou, aacc   mean of the non-null iou; all correct / all valid (null where none)

Run from this folder: /usr/bin/python3 make_golden_classes.py
"""
import glob
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, '..', 'golden')


def ratio(a, b):
    return None if b == 0 else a / b


def one(case):
    d = os.path.join(GOLDEN, case)
    p = json.load(open(os.path.join(d, 'expected.json')))['params']
    ids = sorted(os.path.basename(f) for f in glob.glob(os.path.join(d, 'logits', '*.npy')))
    logits = torch.stack([torch.from_numpy(np.load(os.path.join(d, 'logits', i)).astype(np.float64))
                          for i in ids])
    labels = torch.stack([torch.from_numpy(np.load(os.path.join(d, 'labels', i)).astype(np.int64))
                          for i in ids])
    n, c = logits.shape[:2]
    h, w = labels.shape[1:]
    if logits.shape[2:] != (h, w):
        logits = F.interpolate(logits, size=(h, w), mode='bilinear', align_corners=False)
    weight = None if p['class_weight'] is None else torch.tensor(p['class_weight'], dtype=torch.float64)
    ignore = p['ignore_index']
    loss = F.cross_entropy(logits, labels, weight=weight, ignore_index=ignore, reduction='none')
    pred = torch.argmax(logits, dim=1)
    valid = labels != ignore
    rows = []
    iou_sum, iou_n, correct_all, valid_all = 0.0, 0, 0, 0
    for k in range(c):
        lab = valid & (labels == k)
        prd = valid & (pred == k)
        nv, npd, nc = int(lab.sum()), int(prd.sum()), int((lab & prd).sum())
        iou = ratio(nc, nv + npd - nc)
        if iou is not None:
            iou_sum += iou
            iou_n += 1
        correct_all += nc
        valid_all += nv
        rows.append({'class_id': k, 'n_valid': nv, 'n_predicted': npd, 'n_correct': nc,
                     'iou': iou, 'acc': ratio(nc, nv),
                     'mean_loss': None if nv == 0 else float(loss[lab].sum()) / nv})
    return {'case': case, 'classes': c, 'images': n, 'height': h, 'width': w,
            'labels': labels.flatten().tolist(), 'argmax': pred.flatten().tolist(), 'loss64': loss.flatten().tolist(),
            'per_class': rows, 'miou': ratio(iou_sum, iou_n), 'aacc': ratio(correct_all, valid_all),
            'torch': torch.__version__}


if __name__ == '__main__':
    for e in sorted(glob.glob(os.path.join(GOLDEN, '*', 'expected.json'))):
        case = os.path.basename(os.path.dirname(e))
        with open(os.path.join(HERE, case + '.json'), 'w') as f:
            json.dump(one(case), f)
            f.write('\n')
