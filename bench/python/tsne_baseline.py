"""scikit-learn's Barnes-Hut t-SNE next to `pixelgrad tsne` on the same generated clusters.

    /usr/bin/python3 bench/python/tsne_baseline.py --points 2000 10000 [--pixelgrad 'java -jar ...pixelgrad.jar']

For each N it writes clusters-N.npy (10 Gaussian clusters in 50-D, unit spread around centres drawn
with standard deviation 10), times scikit-learn's TSNE (perplexity 30, 1000 iterations, init='pca',
learning_rate='auto', n_jobs=2, Barnes-Hut theta 0.5) and, when --pixelgrad is given, the command
on the same file, and prints seconds, final KL divergence and 5-NN label accuracy in the map for both.
Needs numpy and scikit-learn (apt-get install -y python3-sklearn); tested with scikit-learn 1.2.
"""
import argparse
import os
import re
import shlex
import subprocess
import tempfile
import time

import numpy as np
import sklearn
from sklearn.manifold import TSNE
from sklearn.neighbors import KNeighborsClassifier
from sklearn.model_selection import cross_val_score


def clusters(n, dims=50, k=10, seed=0):
    rng = np.random.default_rng(seed)
    centres = 10 * rng.standard_normal((k, dims))
    label = np.arange(n) % k
    x = centres[label] + rng.standard_normal((n, dims))
    return x.astype(np.float32), label


def knn_accuracy(y, label):
    return cross_val_score(KNeighborsClassifier(5), y, label, cv=5).mean()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, nargs="+", default=[2000, 10000])
    ap.add_argument("--pixelgrad", help="command that runs pixelgrad, e.g. 'java -jar algorithms/target/pixelgrad.jar'")
    ap.add_argument("--dir", default=tempfile.gettempdir())
    a = ap.parse_args()
    print(f"scikit-learn {sklearn.__version__}, numpy {np.__version__}")
    for n in a.points:
        x, label = clusters(n)
        npy = os.path.join(a.dir, f"clusters-{n}.npy")
        np.save(npy, x)
        if a.pixelgrad:
            out = os.path.join(a.dir, f"tsne-{n}.csv")
            t0 = time.perf_counter()
            r = subprocess.run(shlex.split(a.pixelgrad) + ["tsne", "--in", npy, "--out", out], capture_output=True, text=True)
            seconds = time.perf_counter() - t0
            if r.returncode != 0:
                raise SystemExit(r.stderr)
            kl = float(re.search(r"KL divergence ([0-9.]+)", r.stdout).group(1))
            y = np.loadtxt(out, delimiter=",", skiprows=1)[:, 1:]
            print(f"N={n:6d}  pixelgrad     {seconds:7.2f} s  KL {kl:.4f}  5-NN {knn_accuracy(y, label):.4f}", flush=True)
        t0 = time.perf_counter()
        t = TSNE(perplexity=30, n_iter=1000, init="pca", learning_rate="auto", n_jobs=2, method="barnes_hut",
                 angle=0.5, random_state=0)
        y = t.fit_transform(x)
        seconds = time.perf_counter() - t0
        print(f"N={n:6d}  scikit-learn  {seconds:7.2f} s  KL {t.kl_divergence_:.4f}  5-NN {knn_accuracy(y, label):.4f}"
              f"  ({t.n_iter_ + 1} iterations)", flush=True)


if __name__ == "__main__":
    main()
