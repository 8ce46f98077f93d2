#!/usr/bin/env python3
"""Writes the PyTorch reference of two fast-style training steps, as pytorch/examples trains.

Run from the repository root (needs PyTorch 1.13, NumPy and Pillow; Debian: apt install
python3-torch python3-pil), after make_loss_fixtures.py (its tiny VGG and style image are reused):

    python3 algorithms/src/test/python/make_fast_style_fixtures.py

It writes algorithms/src/test/resources/fixtures/fast_style/steps.safetensors holding

    param.<name>     the transformer's starting parameters (width 4, seeded, pytorch/examples names)
    style            the style image, (1, 3, 32, 48) in 0-255
    x1, x2           two content batches, (2, 3, 32, 32) in 0-255
    grad1.<name>     every parameter's gradient of the step-1 loss on x1
    step1.<term>     the step-1 loss terms (content, style, tv), 0-d
    step2.<term>     the step-2 loss terms on x2, after one Adam step (lr 1e-3) on the step-1 gradients

and the loss weights and layers in its metadata. The transformer is pytorch/examples'
TransformerNet (make_transformer_fixtures.py), the VGG the tiny VGG-19 of make_loss_fixtures.py,
the loss theirs: content MSE at relu2_2, per-sample Gram MSE at relu1_2, relu2_2, relu3_3 and
relu4_3 with Grams divided by C H W, plus a small total variation of y / 255 to cover that term.
PyTorch computes in float64, so the references carry no float32 error of their own.
"""
import os
import sys

import numpy as np
import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", ".."))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "weights", "src", "test", "python"))
import make_loss_fixtures as losses  # noqa: E402  (the tiny VGG, its preprocessing and features)
from make_transformer_fixtures import TransformerNet, write_safetensors  # noqa: E402

if not torch.__version__.startswith("1.13"):
    sys.exit(f"make_fast_style_fixtures.py: expected PyTorch 1.13, found {torch.__version__}")

OUT = os.path.join(HERE, "..", "resources", "fixtures", "fast_style")
WIDTH, SIZE, BATCH = 4, 32, 2
CONTENT_WEIGHT, STYLE_WEIGHT, TV_WEIGHT, LR = 1e5, 1e6, 10.0, 1e-3
CONTENT_LAYERS = ["relu2_2"]
STYLE_LAYERS = ["relu1_2", "relu2_2", "relu3_3", "relu4_3"]


def vgg_params():
    d = os.path.join(HERE, "..", "resources", "fixtures", "losses", "weights")
    return {f[:-4]: torch.from_numpy(np.load(os.path.join(d, f))).double() for f in sorted(os.listdir(d))}


def feats(params, rgb255, layers):
    pre = losses.PRE["torchvision"]
    mean = torch.tensor(pre["mean"], dtype=torch.float64).view(1, 3, 1, 1)
    std = torch.tensor(pre["std"], dtype=torch.float64).view(1, 3, 1, 1)
    return losses.features(params, (rgb255 / 255.0 - mean) / std, layers)


def gram(f):
    n, c, h, w = f.shape
    fm = f.reshape(n, c, h * w)
    return fm.bmm(fm.transpose(1, 2)) / (c * h * w)


def loss_terms(vgg, style_grams, x, y):
    fy = feats(vgg, y, CONTENT_LAYERS + STYLE_LAYERS)
    fx = feats(vgg, x, CONTENT_LAYERS)
    mse = torch.nn.MSELoss()
    content = CONTENT_WEIGHT * sum(mse(fy[l], fx[l]) for l in CONTENT_LAYERS)
    style = STYLE_WEIGHT * sum(mse(gram(fy[l]), style_grams[l].expand(x.shape[0], -1, -1)) for l in STYLE_LAYERS)
    z = y / 255.0
    dr = z[:, :, :-1, 1:] - z[:, :, :-1, :-1]
    dd = z[:, :, 1:, :-1] - z[:, :, :-1, :-1]
    tv = TV_WEIGHT * (dr ** 2 + dd ** 2).sum()
    return {"content": content, "style": style, "tv": tv}


def main():
    torch.manual_seed(20241128)
    gen = torch.Generator().manual_seed(20241129)
    vgg = vgg_params()
    style_rgb = np.asarray(Image.open(os.path.join(HERE, "..", "resources", "fixtures", "losses", "style.png")).convert("RGB"))
    style = torch.from_numpy(style_rgb.astype(np.float64)).permute(2, 0, 1).unsqueeze(0)
    with torch.no_grad():
        style_grams = {l: gram(f) for l, f in feats(vgg, style, STYLE_LAYERS).items()}
    x1 = torch.randint(0, 256, (BATCH, 3, SIZE, SIZE), generator=gen).double()
    x2 = torch.randint(0, 256, (BATCH, 3, SIZE, SIZE), generator=gen).double()

    net = TransformerNet(WIDTH).double()
    with torch.no_grad():   # instance-norm scales and shifts away from 1 and 0, so their gradients matter
        for name, p in net.named_parameters():
            if ".weight" in name and name.startswith(("in", "res")) and p.dim() == 1:
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=gen, dtype=torch.float64))
            elif name.startswith(("in", "res")) and p.dim() == 1:
                p.copy_(0.2 * torch.randn(p.shape, generator=gen, dtype=torch.float64))
            p.copy_(p.float().double())   # the float32 values Java starts from
    start = {n: p.detach().clone() for n, p in net.named_parameters()}
    adam = torch.optim.Adam(net.parameters(), lr=LR)

    out = {"style": style, "x1": x1, "x2": x2}
    out.update({"param." + n: p for n, p in start.items()})
    adam.zero_grad()
    terms1 = loss_terms(vgg, style_grams, x1, net(x1))
    sum(terms1.values()).backward()
    out.update({"grad1." + n: p.grad.detach().clone() for n, p in net.named_parameters()})
    adam.step()
    adam.zero_grad()
    with torch.no_grad():
        terms2 = loss_terms(vgg, style_grams, x2, net(x2))
    out.update({"step1." + k: v.detach().reshape(()) for k, v in terms1.items()})
    out.update({"step2." + k: v.detach().reshape(()) for k, v in terms2.items()})

    os.makedirs(OUT, exist_ok=True)
    meta = {"width": str(WIDTH), "content_weight": str(CONTENT_WEIGHT), "style_weight": str(STYLE_WEIGHT),
            "tv_weight": str(TV_WEIGHT), "learning_rate": str(LR), "content_layers": ",".join(CONTENT_LAYERS),
            "style_layers": ",".join(STYLE_LAYERS)}
    write_safetensors(os.path.join(OUT, "steps.safetensors"),
                      {k: v.detach().float() for k, v in out.items()}, meta)
    for step, terms in (("step1", terms1), ("step2", terms2)):
        print(step, " ".join(f"{k}={float(v):.9g}" for k, v in terms.items()))


if __name__ == "__main__":
    main()
