#!/usr/bin/env python3
"""PyTorch's side of FastStyleTrainBenchmark and StylizeBenchmark: the same work, timed the same way.

Run from the repository root, on the machine and in the sitting of the Java run:

    OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/python/fast_style_baseline.py            # 2 threads, as the JVM
    OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/python/fast_style_baseline.py --width 16

- train 4x256: one iteration of pytorch/examples' fast_neural_style training (batch 4 at 256x256,
  TransformerNet forward, VGG-16 to relu4_3 on the output and to relu2_2 on the content batch,
  content relu2_2 + Grams of relu1_2/2_2/3_3/4_3, backward into the transform net, Adam step);
- stylize 512, stylize 1024: one forward pass of the transform net on one image, without autograd.

VGG-16 and the transform net have random weights (the time does not depend on them). Each row is
the median of a few repeats after a warm-up second, in ms, with images/s; the process's peak resident
memory is printed at the end.
"""
import argparse
import os
import resource
import sys

import torch
import torchvision

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "weights", "src", "test", "python"))
from make_transformer_fixtures import TransformerNet  # noqa: E402  (pytorch/examples' network, any width)
from transformer_net_conv import timed  # noqa: E402  (the same timing rule as the convolution table)

# Indices of relu1_2, relu2_2, relu3_3, relu4_3 in torchvision's vgg16().features.
TAPS = {3: "relu1_2", 8: "relu2_2", 15: "relu3_3", 22: "relu4_3"}
MEAN = torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1)
STD = torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1)


def features(vgg, rgb255, last):
    """The tapped activations of VGG-16 up to the layer index `last`."""
    x = (rgb255 / 255.0 - MEAN) / STD
    out = {}
    for i, layer in enumerate(vgg):
        x = layer(x)
        if i in TAPS:
            out[TAPS[i]] = x
        if i == last:
            return out
    return out


def gram(f):
    n, c, h, w = f.shape
    fm = f.reshape(n, c, h * w)
    return fm.bmm(fm.transpose(1, 2)) / (c * h * w)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--width", type=int, default=32, help="transform net width (32 as pytorch/examples, 16 half)")
    ap.add_argument("--seconds", type=float, default=10.0, help="measuring time per row")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, width {args.width}")

    vgg = torchvision.models.vgg16().features[:23].eval()
    for p in vgg.parameters():
        p.requires_grad_(False)
    net = TransformerNet(args.width)
    adam = torch.optim.Adam(net.parameters(), 1e-3)
    mse = torch.nn.MSELoss()
    style = torch.rand(1, 3, 256, 256) * 255
    with torch.no_grad():
        style_grams = {k: gram(v) for k, v in features(vgg, style, 22).items()}
    batch = torch.rand(4, 3, 256, 256) * 255

    def train_step():
        adam.zero_grad()
        y = net(batch)
        fy = features(vgg, y, 22)
        fx = features(vgg, batch, 8)
        content = 1e5 * mse(fy["relu2_2"], fx["relu2_2"])
        style_loss = 1e10 * sum(mse(gram(fy[k]), style_grams[k].expand(4, -1, -1)) for k in fy)
        (content + style_loss).backward()
        adam.step()

    print(f"{'work':<14} {'ms':>10} {'images/s':>9}")
    ms = timed(train_step, args.seconds)
    print(f"{'train 4x256':<14} {ms:10.1f} {4 / (ms * 1e-3):9.2f}", flush=True)
    for side in (512, 1024):
        image = torch.rand(1, 3, side, side) * 255
        with torch.no_grad():
            ms = timed(lambda: net(image), args.seconds)
        print(f"{'stylize ' + str(side):<14} {ms:10.1f} {1 / (ms * 1e-3):9.2f}", flush=True)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
