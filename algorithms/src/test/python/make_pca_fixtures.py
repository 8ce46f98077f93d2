#!/usr/bin/env python3
"""PCA fixtures from numpy's SVD, for PcaTest: a tall matrix (60 x 12) and a wide one (7 x 20), each
with a few strong directions, their components (rows of V^T in descending order, each signed so its
largest-magnitude entry is positive) and explained-variance ratios.

Run from the repository root: /usr/bin/python3 algorithms/src/test/python/make_pca_fixtures.py
"""
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures", "pca")


def case(name, n, d, seed):
    rng = np.random.default_rng(seed)
    # a few strong directions plus noise, shifted away from the origin so centring matters
    basis = rng.normal(size=(3, d))
    x = rng.normal(size=(n, 3)) * np.array([5.0, 2.0, 1.0]) @ basis + 0.1 * rng.normal(size=(n, d)) + 3.0
    x = x.astype(np.float32).astype(np.float64)   # the values the test reads
    xc = x - x.mean(axis=0)
    _, s, vt = np.linalg.svd(xc, full_matrices=False)
    for i in range(vt.shape[0]):
        if vt[i, np.argmax(np.abs(vt[i]))] < 0:
            vt[i] = -vt[i]
    var = s ** 2 / (n - 1)
    np.save(os.path.join(OUT, name + "_x.npy"), x.astype(np.float32))
    np.save(os.path.join(OUT, name + "_components.npy"), vt.astype(np.float32))
    np.save(os.path.join(OUT, name + "_ratio.npy"), (var / var.sum()).astype(np.float32))


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    case("tall", 60, 12, 20261129)
    case("wide", 7, 20, 20261130)
