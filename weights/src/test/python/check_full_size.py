#!/usr/bin/python3
"""Full-size check, outside the test suite (needs ~3 GB of disk and memory, a few minutes).

    /usr/bin/python3 weights/src/test/python/check_full_size.py [WORK_DIR]

For torchvision's vgg16() and vgg19() (randomly initialised; real weights need a download):
  1. torch.save(model.state_dict()) in the zip format;
  2. `./pixelgrad convert --in ... --out ...` under /usr/bin/time -v (wall time, peak memory);
  3. `./pixelgrad features` at every relu for a 160x120 test image, compared with PyTorch's
     activations as max |java - torch| / max |torch| per layer.
Prints one summary line per model; exits non-zero if any layer is off by more than 1e-4.
Run from the repository root (the launcher builds the jar when it is missing or stale).
"""
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import torch
import torchvision
from PIL import Image

assert torch.__version__.startswith("1.13"), "pinned to PyTorch 1.13, found " + torch.__version__
TOL = 1e-4
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def relu_features(model, x):
    out, b, i = {}, 1, 1
    for m in model.features:
        x = m(x)
        if isinstance(m, torch.nn.ReLU):
            out["relu%d_%d" % (b, i)] = x
            i += 1
        elif isinstance(m, torch.nn.MaxPool2d):
            b, i = b + 1, 1
    return out


def timed(cmd):
    r = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("failed: %s\n%s\n%s" % (" ".join(cmd), r.stdout, r.stderr))
    wall = re.search(r"Elapsed \(wall clock\) time.*: (.*)", r.stderr).group(1)
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1))
    return r.stdout, wall, peak_kb / 1024


def main():
    work = sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="pixelgrad-full-")
    os.makedirs(work, exist_ok=True)
    torch.manual_seed(0)
    yy, xx = np.mgrid[0:120, 0:160].astype(np.float64)
    img = np.stack([127.5 + 127.5 * np.sin(xx * (0.05 + 0.02 * c) + yy * 0.03 * (c + 1) + c) for c in range(3)], -1)
    image = os.path.join(work, "image.png")
    Image.fromarray(img.round().clip(0, 255).astype(np.uint8)).save(image)
    x = torch.from_numpy(np.asarray(Image.open(image).convert("RGB"), dtype=np.float32) / 255).permute(2, 0, 1)[None]
    x = (x - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1)
    ok = True
    for arch in ("vgg16", "vgg19"):
        model = getattr(torchvision.models, arch)().eval()
        pth = os.path.join(work, arch + ".pth")
        out = os.path.join(work, arch + ".safetensors")
        torch.save(model.state_dict(), pth)
        stdout, wall, peak = timed(["./pixelgrad", "convert", "--in", pth, "--out", out])
        reported = re.search(r"in (\d+\.\d+) s", stdout).group(1)
        with torch.no_grad():
            ref = relu_features(model, x)
        feats = os.path.join(work, arch + "_features")
        timed(["./pixelgrad", "features", "--weights", out, "--image", image, "--layers", ",".join(ref), "--out", feats,
               "--device", "java"])
        worst = 0.0
        for name, a in ref.items():
            got = np.load(os.path.join(feats, name + ".npy"))
            a = a.numpy()
            assert got.shape == a.shape, (name, got.shape, a.shape)
            err = float(np.abs(got - a).max() / np.abs(a).max())
            worst = max(worst, err)
            ok &= err <= TOL
        print("%s: %d relu layers, max relative error %.3g; convert %s s reported, %s wall, peak RSS %.0f MiB; %.0f MB -> %.0f MB"
              % (arch, len(ref), worst, reported, wall, peak, os.path.getsize(pth) / 1e6, os.path.getsize(out) / 1e6))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
