#!/usr/bin/env python3
"""Writes the PyTorch reference values for the iteration-0 loss terms of the four algorithms.

Run from the repository root (needs PyTorch 1.13, NumPy and Pillow; Debian: apt install
python3-torch python3-pil):

    python3 algorithms/src/test/python/make_loss_fixtures.py

It writes, under algorithms/src/test/resources/fixtures/losses/:

    weights/<name>.npy   a VGG-19 with narrow blocks (widths 4, 6, 8, 8, 8) and random weights,
                         one float32 .npy per parameter (conv1_1.weight, conv1_1.bias, ...)
    *.png                8-bit test images: content (56x40), style (48x32), guide (40x40) and
                         init (56x40), the starting image x of every case; stylised_a and
                         stylised_b (56x40), a transformer's output y for the fast-style loss
    expected.txt         one line per case:  <case> <term>=<value> ...

The Java test (LossParityTest) builds the same network from the .npy files, reads the same PNGs
and compares its iteration-0 terms with these within 1e-4 relative. PyTorch computes in float64
from the float32 weights and 8-bit images, so the references carry no float32 error of their
own. The seed is fixed: running the script twice gives the same files.
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

if not torch.__version__.startswith("1.13"):
    sys.exit(f"make_loss_fixtures.py: expected PyTorch 1.13, found {torch.__version__}; "
             "the fixtures are pinned to one version so they do not change under the tests")

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "..", "resources", "fixtures", "losses"))
WIDTHS = [4, 6, 8, 8, 8]
CONVS = [2, 2, 4, 4, 4]  # VGG-19
TV_EPS = 1e-8            # TotalVariation.EPS, inside the power only when beta < 2
PRE = {  # mean and std per network channel; caffe is BGR in [0, 255]
    "torchvision": dict(bgr=False, range=1.0, mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
    "caffe": dict(bgr=True, range=255.0, mean=[103.939, 116.779, 123.68], std=[1.0, 1.0, 1.0]),
}

rng = np.random.default_rng(20240612)


def make_weights():
    params = {}
    c = 3
    for b in range(5):
        for i in range(CONVS[b]):
            k = WIDTHS[b]
            name = f"conv{b + 1}_{i + 1}"
            w = rng.standard_normal((k, c, 3, 3)) * np.sqrt(2.0 / (c * 9))
            params[name + ".weight"] = w.astype(np.float32)
            params[name + ".bias"] = (0.05 + 0.01 * rng.standard_normal(k)).astype(np.float32)
            c = k
    os.makedirs(os.path.join(OUT, "weights"), exist_ok=True)
    for name, v in params.items():
        np.save(os.path.join(OUT, "weights", name + ".npy"), v)
    return {k: torch.from_numpy(v).double() for k, v in params.items()}


def make_image(name, h, w, phase):
    yy, xx = np.mgrid[0:h, 0:w]
    img = np.stack([0.5 + 0.35 * np.sin(0.31 * xx + 0.17 * yy * (c + 1) + phase + c) for c in range(3)], axis=-1)
    img = img + 0.08 * rng.standard_normal(img.shape)
    u8 = np.clip(np.round(img * 255), 0, 255).astype(np.uint8)
    Image.fromarray(u8, "RGB").save(os.path.join(OUT, name + ".png"))
    return torch.from_numpy(u8.astype(np.float64) / 255.0).permute(2, 0, 1)  # (3, H, W) RGB in [0, 1]


def to_network(rgb, pre):
    p = PRE[pre]
    x = rgb.flip(0) if p["bgr"] else rgb
    mean = torch.tensor(p["mean"], dtype=torch.float64).view(3, 1, 1)
    std = torch.tensor(p["std"], dtype=torch.float64).view(3, 1, 1)
    return ((x * p["range"] - mean) / std).unsqueeze(0)


def rgb_scale(pre):
    p = PRE[pre]
    return torch.tensor([s / p["range"] for s in p["std"]], dtype=torch.float64).view(1, 3, 1, 1)


def features(params, x, layers, pooling="max"):
    """Activations of the named layers (conv, relu, pool names as in the paper)."""
    out = {}
    deepest = max(order().index(l) for l in layers)
    y = x
    for name in order()[:deepest + 1]:
        if name.startswith("conv"):
            y = F.conv2d(y, params[name + ".weight"], params[name + ".bias"], padding=1)
        elif name.startswith("relu"):
            y = F.relu(y)
        else:
            y = F.max_pool2d(y, 2, 2) if pooling == "max" else F.avg_pool2d(y, 2, 2)
        if name in layers:
            out[name] = y
    return out


def order():
    names = []
    for b in range(5):
        for i in range(CONVS[b]):
            names += [f"conv{b + 1}_{i + 1}", f"relu{b + 1}_{i + 1}"]
        names.append(f"pool{b + 1}")
    return names


def gram(f):
    """G / (N M) for features (1, N, H, W)."""
    n = f.shape[1]
    m = f.shape[2] * f.shape[3]
    fm = f.reshape(n, m)
    return fm @ fm.t() / (n * m)


def style_layer(f, g_hat):
    """E = 1/(4 N^2 M^2) sum (G - Ghat)^2, both Grams already divided by N M."""
    return 0.25 * ((gram(f) - g_hat) ** 2).sum()


def tv(x, pre, beta):
    """R_{V^beta} of the [0, 1] RGB image: scale the network channels by std / range first."""
    z = x * rgb_scale(pre)
    dr = z[:, :, :-1, 1:] - z[:, :, :-1, :-1]
    dd = z[:, :, 1:, :-1] - z[:, :, :-1, :-1]
    eps = TV_EPS if beta < 2 else 0.0
    return ((dr ** 2 + dd ** 2 + eps) ** (beta / 2)).sum()


def style_case(params, pre, pooling, content, styles, blend, x, alpha, beta, gamma, tv_beta):
    content_layers = ["relu4_2"]
    style_layers = ["relu1_1", "relu2_1", "relu3_1", "relu4_1", "relu5_1"]
    p = features(params, to_network(content, pre), content_layers, pooling)
    blend = [b / sum(blend) for b in blend]
    g_hat = {l: 0 for l in style_layers}
    for s, b in zip(styles, blend):
        fs = features(params, to_network(s, pre), style_layers, pooling)
        for l in style_layers:
            g_hat[l] = g_hat[l] + b * gram(fs[l])
    xn = to_network(x, pre)
    f = features(params, xn, content_layers + style_layers, pooling)
    terms = {
        "content": alpha * 0.5 * ((f["relu4_2"] - p["relu4_2"]) ** 2).sum(),
        "style": beta * sum(style_layer(f[l], g_hat[l]) / len(style_layers) for l in style_layers),
        "tv": gamma * tv(xn, pre, tv_beta),
    }
    return terms


def perceptual_case(params, contents, stylised, style, alpha, beta, gamma):
    """pytorch/examples fast_neural_style's loss on 0-255 batches: MSE (means), Grams / (C H W) per sample."""
    def feats(rgb255, layers):
        x = (rgb255 / 255.0 - torch.tensor(PRE["torchvision"]["mean"], dtype=torch.float64).view(1, 3, 1, 1)) \
            / torch.tensor(PRE["torchvision"]["std"], dtype=torch.float64).view(1, 3, 1, 1)
        return features(params, x, layers)

    def batch_gram(f):
        n, c, h, w = f.shape
        fm = f.reshape(n, c, h * w)
        return fm.bmm(fm.transpose(1, 2)) / (c * h * w)

    content_layers, style_layers = ["relu2_2"], ["relu1_2", "relu2_2", "relu3_3", "relu4_3"]
    x = torch.stack(contents) * 255.0
    y = torch.stack(stylised) * 255.0
    fs = feats(style.unsqueeze(0) * 255.0, style_layers)
    fy = feats(y, content_layers + style_layers)
    fx = feats(x, content_layers)
    n = y.shape[0]
    z = y / 255.0
    dr = z[:, :, :-1, 1:] - z[:, :, :-1, :-1]
    dd = z[:, :, 1:, :-1] - z[:, :, :-1, :-1]
    return {
        "content": alpha * ((fy["relu2_2"] - fx["relu2_2"]) ** 2).mean(),
        "style": beta * sum(((batch_gram(fy[l]) - batch_gram(fs[l]).expand(n, -1, -1)) ** 2).mean()
                            for l in style_layers),
        "tv": gamma * (dr ** 2 + dd ** 2).sum(),
    }


def main():
    params = make_weights()
    content = make_image("content", 40, 56, 0.0)
    style = make_image("style", 32, 48, 2.0)
    guide = make_image("guide", 40, 40, 4.0)
    init = make_image("init", 40, 56, 1.0)
    cases = {}

    cases["style_torchvision"] = style_case(params, "torchvision", "max", content, [style, guide], [1, 3], init,
                                            1.5, 1e3, 0.5, 2.0)
    cases["style_caffe_avg"] = style_case(params, "caffe", "avg", content, [style], [1], init,
                                          1.0, 5e3, 0.1, 1.5)

    tex_layers = ["conv1_1", "pool1", "pool2", "pool3", "pool4"]
    ft = features(params, to_network(style, "torchvision"), tex_layers)
    fx = features(params, to_network(init, "torchvision"), tex_layers)
    cases["texture"] = {"texture": sum(style_layer(fx[l], gram(ft[l])) / len(tex_layers) for l in tex_layers)}

    phi0 = features(params, to_network(content, "torchvision"), ["relu3_1"])["relu3_1"]
    xn = to_network(init, "torchvision")
    phi = features(params, xn, ["relu3_1"])["relu3_1"]
    cases["invert"] = {"feature": ((phi - phi0) ** 2).sum(), "tv": 0.3 * tv(xn, "torchvision", 1.5)}

    a = features(params, to_network(content, "torchvision"), ["relu4_2", "relu5_1"])
    cases["dream"] = {"dream": 0.5 * (a["relu4_2"] ** 2).sum() + 0.5 * 0.5 * (a["relu5_1"] ** 2).sum()}

    g = gram(features(params, to_network(guide, "torchvision"), ["relu3_1"])["relu3_1"])
    a = features(params, to_network(content, "torchvision"), ["relu3_1"])["relu3_1"]
    am = a.reshape(a.shape[1], -1)
    cases["dream_guided"] = {"dream": 0.5 * (am * (g @ am)).sum()}

    # drawn after every image above, so adding it changed none of them
    stylised_a = make_image("stylised_a", 40, 56, 3.0)
    stylised_b = make_image("stylised_b", 40, 56, 5.0)
    cases["fast_style"] = perceptual_case(params, [content, init], [stylised_a, stylised_b], style, 1e5, 1e10, 0.5)

    with open(os.path.join(OUT, "expected.txt"), "w") as f:
        for case, terms in cases.items():
            f.write(case + " " + " ".join(f"{k}={float(v):.17g}" for k, v in terms.items()) + "\n")
    print(open(os.path.join(OUT, "expected.txt")).read(), end="")


if __name__ == "__main__":
    main()
