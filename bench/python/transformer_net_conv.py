#!/usr/bin/env python3
"""PyTorch's side of TransformerNetConvBenchmark: the same convolutions, the same three passes,
the same FLOP count, so the two tables can be read row against row.

Run from the repository root, on the machine and in the sitting of the Java run:

    /usr/bin/python3 bench/python/transformer_net_conv.py            # 2 threads, as the JVM
    /usr/bin/python3 bench/python/transformer_net_conv.py --threads 1

The shapes are those of bench/jmh/.../TransformerNetConvBenchmark.java ("C>KkRsT@H": C input and
K output channels, R x R kernel, stride T, unpadded, on an H x H input that is already reflection
padded), batch 4. Each pass is timed on its own through aten::convolution_backward with one output
mask at a time (backward-data: dx only; backward-weights: dw and db), like the Java kernels, and
reported as the median of a few repeats after a warm-up, in ms per call and GFLOP/s of
2 N K P P C R R.
"""
import argparse
import statistics
import time

import torch

SHAPES = ["3>32k9s1@264", "32>64k3s2@258", "64>128k3s2@130", "128>128k3s1@66",
          "128>64k3s1@130", "64>32k3s1@258", "32>3k9s1@264"]
BATCH = 4


def geometry(shape):
    cks, h = shape.split("@")
    c, ks = cks.split(">")
    k, rs = ks.split("k")
    r, stride = rs.split("s")
    return int(c), int(k), int(r), int(stride), int(h)


def timed(f, seconds):
    """Median ms of f over repeats filling about `seconds`, after one warm-up second."""
    end = time.perf_counter() + 1.0
    while time.perf_counter() < end:
        f()
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end or len(times) < 3:
        s = time.perf_counter()
        f()
        times.append((time.perf_counter() - s) * 1e3)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=3.0, help="measuring time per row")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, mkldnn {torch.backends.mkldnn.is_available()}")
    print(f"{'benchmark':<20} {'shape':<16} {'ms/op':>9} {'GFLOP/s':>9}")
    for shape in SHAPES:
        c, k, r, stride, h = geometry(shape)
        x = torch.rand(BATCH, c, h, h) - 0.5
        w = torch.rand(k, c, r, r) - 0.5
        b = torch.rand(k) - 0.5
        p = (h - r) // stride + 1
        dy = torch.rand(BATCH, k, p, p) - 0.5
        flops = 2.0 * BATCH * k * p * p * c * r * r
        conv_bw = torch.ops.aten.convolution_backward
        common = ([k], [stride, stride], [0, 0], [1, 1], False, [0, 0], 1)
        passes = {
            "forward": lambda: torch.nn.functional.conv2d(x, w, b, stride=stride),
            "backwardData": lambda: conv_bw(dy, x, w, *common, [True, False, False]),
            "backwardWeights": lambda: conv_bw(dy, x, w, *common, [False, True, True]),
        }
        with torch.no_grad():
            for name, f in passes.items():
                ms = timed(f, args.seconds)
                print(f"{name:<20} {shape:<16} {ms:9.3f} {flops / (ms * 1e-3) / 1e9:9.1f}", flush=True)


if __name__ == "__main__":
    main()
