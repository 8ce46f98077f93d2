#!/usr/bin/env python3
"""Writes NumPy's principal components of two small matrices, the reference for PcaTest.

Run from the repository root (needs NumPy):

    python3 algorithms/src/test/python/make_pca_fixtures.py

It writes, under algorithms/src/test/resources/fixtures/pca/, for each case <name>:

    <name>_x.npy          the data, samples as rows (float32; the reference is computed from
                          exactly these float32 values, in float64)
    <name>_components.npy min(N, D) rows of D: the right singular vectors of the centred data,
                          descending, each signed so its largest-magnitude entry is positive
    <name>_ratio.npy      the explained-variance ratios, s^2 / sum(s^2)
    <name>_variance.npy   the explained variances, s^2 / (N - 1), as scikit-learn reports them

Cases: tall (60 x 12: three latent factors of falling strength plus a little noise) and wide
(7 x 20, N < D: two factors plus noise; centring leaves rank 6, so its 7th component is
arbitrary and the test ignores it).
"""
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "..", "resources", "fixtures", "pca")


def structured(rng, n, d, strengths, noise):
    """Rows of a few latent factors (scaled by strengths) mixed into d dimensions, plus noise."""
    z = rng.standard_normal((n, len(strengths))) * np.asarray(strengths)
    mixing = rng.standard_normal((len(strengths), d))
    offset = rng.uniform(-3, 3, size=d)  # a mean far from zero, so centring matters
    return z @ mixing + noise * rng.standard_normal((n, d)) + offset


def reference(x32):
    x = x32.astype(np.float64)
    centred = x - x.mean(axis=0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    for row in vt:
        if row[np.argmax(np.abs(row))] < 0:
            row *= -1
    variance = s ** 2 / (x.shape[0] - 1)
    return vt, variance, variance / variance.sum()


def write(name, x):
    x32 = x.astype("<f4")
    vt, variance, ratio = reference(x32)
    np.save(os.path.join(OUT, name + "_x.npy"), x32)
    np.save(os.path.join(OUT, name + "_components.npy"), vt.astype("<f4"))
    np.save(os.path.join(OUT, name + "_variance.npy"), variance.astype("<f4"))
    np.save(os.path.join(OUT, name + "_ratio.npy"), ratio.astype("<f4"))
    print(name, x32.shape, "ratios", np.round(ratio, 4))


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(11)
    write("tall", structured(rng, 60, 12, [5.0, 2.5, 1.0], 0.1))
    write("wide", structured(rng, 7, 20, [4.0, 1.5], 0.2))


if __name__ == "__main__":
    main()
