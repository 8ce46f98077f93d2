#!/usr/bin/env python3
"""Writes the PyTorch parity fixtures for the engine's ops.

Run from the repository root (needs PyTorch 1.13 and NumPy; Debian: apt install python3-torch):

    python3 tensor/src/test/python/make_op_fixtures.py

For every case it writes, under tensor/src/test/resources/fixtures/ops/, float32 little-endian
.npy files named <case>.<tensor>.npy:

    inputs       x, w, b (conv2d, residual_conv2d: y = x + conv2d(x)), x (pools, relu, gram, tv,
                 reflection_pad, upsample_nearest), a, b (mse, sse, add), x, gamma, beta (instance_norm)
    y            the op's output (a 0-d array for losses)
    r            a random direction of y's shape
    d<input>     the gradient of  L = sum(r * y)  with respect to that input

and one line per case to index.txt:  <case> <op> key=value ...  (the op's parameters).
PyTorch computes in float64 from the float32 inputs, so the references carry no float32 error of
their own. The seed is fixed: running the script twice gives the same files.
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

if not torch.__version__.startswith("1.13"):
    sys.exit(f"make_op_fixtures.py: expected PyTorch 1.13, found {torch.__version__}; "
             "the fixtures are pinned to one version so they do not change under the tests")

OUT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                    "..", "resources", "fixtures", "ops"))
TV_EPS = np.float32(1e-8)  # TotalVariation.EPS, inside the power only when beta < 2

gen = torch.Generator().manual_seed(20240611)
index = []


def uniform(*shape):
    """Uniform in [-1, 1), float32."""
    return torch.rand(shape, generator=gen, dtype=torch.float32) * 2 - 1


def away_from_zero(*shape, min_abs=0.1):
    """Magnitudes in [min_abs, 1) with random signs: no value sits at relu's kink."""
    mag = min_abs + (1 - min_abs) * torch.rand(shape, generator=gen, dtype=torch.float32)
    sign = torch.where(torch.rand(shape, generator=gen) < 0.5, -1.0, 1.0)
    return (mag * sign).float()


def save(case, name, t):
    a = t.detach().cpu().numpy().astype("<f4")
    np.save(os.path.join(OUT, f"{case}.{name}.npy"), a)


def case(name, op, params, inputs, fn, r_gen=None):
    """Runs fn on float64 copies of the float32 inputs and writes inputs, output and gradients.
    The direction r comes from r_gen when given (cases appended later use their own generator)."""
    leaves = {k: v.double().requires_grad_(True) for k, v in inputs.items()}
    y = fn(**leaves)
    r = uniform(*y.shape) if r_gen is None else torch.rand(y.shape, generator=r_gen, dtype=torch.float32) * 2 - 1
    (y * r.double()).sum().backward()
    for k, v in inputs.items():
        save(name, k, v)
    save(name, "y", y)
    save(name, "r", r)
    for k, v in leaves.items():
        save(name, "d" + k, v.grad)
    index.append(" ".join([name, op] + [f"{k}={v}" for k, v in params.items()]))


def conv2d(name, x_shape, k, kernel, stride, pad, bias=True):
    c = x_shape[1]
    inputs = {"x": uniform(*x_shape), "w": uniform(k, c, kernel, kernel)}
    if bias:
        inputs["b"] = uniform(k)
    case(name, "conv2d", {"stride": stride, "pad": pad, "bias": str(bias).lower()}, inputs,
         lambda x, w, b=None: F.conv2d(x, w, b, stride=stride, padding=pad))


def pool(name, kind, x_shape, kernel, stride, pad):
    f = F.max_pool2d if kind == "max_pool2d" else F.avg_pool2d
    case(name, kind, {"kernel": kernel, "stride": stride, "pad": pad}, {"x": uniform(*x_shape)},
         lambda x: f(x, kernel, stride, pad))


def gram(name, x_shape):
    n, c, h, w = x_shape
    alpha = np.float32(1.0 / (c * h * w))

    def g(x):
        feats = x.reshape(n, c, h * w)
        return float(alpha) * feats @ feats.transpose(1, 2)
    case(name, "gram", {"alpha": repr(float(alpha))}, {"x": uniform(*x_shape)}, g)


def tv(name, x_shape, beta):
    eps = float(TV_EPS) if beta < 2 else 0.0

    def r(x):
        # ops/TotalVariation.java: sum over i < H-1, j < W-1 of (dr^2 + dd^2 + eps)^(beta/2)
        dr = x[:, :, :-1, 1:] - x[:, :, :-1, :-1]
        dd = x[:, :, 1:, :-1] - x[:, :, :-1, :-1]
        return ((dr * dr + dd * dd + eps) ** (beta / 2)).sum()
    case(name, "tv", {"beta": beta}, {"x": uniform(*x_shape)}, r)


def reflection_pad(name, x_shape, top, bottom, left, right):
    # nn.ReflectionPad2d takes (left, right, top, bottom)
    case(name, "reflection_pad", {"top": top, "bottom": bottom, "left": left, "right": right},
         {"x": uniform(*x_shape)}, lambda x: F.pad(x, (left, right, top, bottom), mode="reflect"))


def upsample_nearest(name, x_shape, factor):
    case(name, "upsample_nearest", {"factor": factor}, {"x": uniform(*x_shape)},
         lambda x: F.interpolate(x, scale_factor=factor, mode="nearest"))


def fast_style_cases():
    """The ops fast style transfer (TransformerNet) adds, on a generator of their own so the
    fixtures written before them stay byte for byte the same."""
    global gen
    gen = torch.Generator().manual_seed(20261129)
    reflection_pad("reflpad_p1", (2, 3, 5, 6), 1, 1, 1, 1)
    reflection_pad("reflpad_p4", (2, 2, 9, 11), 4, 4, 4, 4)
    reflection_pad("reflpad_asym", (2, 3, 6, 7), 2, 0, 3, 1)
    reflection_pad("reflpad_size_minus_1", (2, 2, 3, 4), 2, 2, 3, 3)
    reflection_pad("reflpad_size2", (2, 1, 2, 2), 1, 1, 1, 0)
    upsample_nearest("upsample_x2", (2, 3, 4, 5), 2)
    upsample_nearest("upsample_x3", (2, 2, 3, 5), 3)


def instance_norm_cases():
    """InstanceNorm2d(C, affine=True) without running statistics, through F.instance_norm.
    Its own generator, so the cases above keep their inputs."""
    g = torch.Generator().manual_seed(20261129)

    def u(*shape):
        return torch.rand(shape, generator=g, dtype=torch.float32) * 2 - 1

    def norm(x, gamma, beta):
        return F.instance_norm(x, weight=gamma, bias=beta, eps=1e-5)

    params = {"eps": 1e-05}
    case("instance_norm", "instance_norm", params, {"x": u(2, 3, 5, 7), "gamma": u(3), "beta": u(3)}, norm, g)
    # channel 0 an image in 0-255, channel 2 a plane with mean ~1000 and a spread of ~1
    x = u(2, 3, 5, 7)
    x[:, 0] = torch.floor((x[:, 0] + 1) * 127.5)
    x[:, 2] += 1000
    case("instance_norm_large_mean", "instance_norm", params, {"x": x, "gamma": u(3), "beta": u(3)}, norm, g)


def main():
    os.makedirs(OUT, exist_ok=True)
    for f in os.listdir(OUT):
        if f.endswith(".npy") or f == "index.txt":
            os.remove(os.path.join(OUT, f))

    # conv2d: kernel sizes 1, 3, 9; strides 1 and 2; several paddings; odd shapes; C = 3
    conv2d("conv_k1_s1_p0", (2, 3, 5, 7), 4, 1, 1, 0)
    conv2d("conv_k1_s2_p0", (1, 3, 7, 6), 2, 1, 2, 0)
    conv2d("conv_k3_s1_p1", (2, 3, 6, 5), 4, 3, 1, 1)
    conv2d("conv_k3_s2_p1", (1, 3, 9, 7), 5, 3, 2, 1)
    conv2d("conv_k3_s2_p0", (1, 3, 8, 11), 2, 3, 2, 0)
    conv2d("conv_k3_s1_p2", (1, 3, 5, 4), 3, 3, 1, 2)
    conv2d("conv_k3_s1_p0_nobias", (1, 3, 7, 5), 4, 3, 1, 0, bias=False)
    conv2d("conv_k9_s1_p4", (1, 3, 11, 10), 2, 9, 1, 4)
    conv2d("conv_k9_s2_p4", (1, 3, 13, 12), 3, 9, 2, 4)
    conv2d("conv_k9_s1_p0", (1, 3, 10, 9), 2, 9, 1, 0)

    # pooling: VGG's 2x2/2, overlapping windows, padding, odd shapes
    for kind, tag in (("max_pool2d", "maxpool"), ("avg_pool2d", "avgpool")):
        pool(f"{tag}_k2_s2_p0", kind, (2, 3, 6, 8), 2, 2, 0)
        pool(f"{tag}_k3_s2_p1", kind, (1, 3, 7, 5), 3, 2, 1)
        pool(f"{tag}_k3_s1_p1", kind, (1, 2, 5, 6), 3, 1, 1)
        pool(f"{tag}_k2_s1_p1", kind, (1, 2, 4, 5), 2, 1, 1)
        pool(f"{tag}_k3_s3_p0", kind, (1, 3, 10, 7), 3, 3, 0)

    case("relu", "relu", {}, {"x": away_from_zero(2, 3, 4, 5)}, lambda x: F.relu(x))

    gram("gram_c3", (2, 3, 4, 5))
    gram("gram_c8", (1, 8, 3, 7))

    tv("tv_beta1", (1, 3, 6, 7), 1.0)
    tv("tv_beta2", (2, 3, 5, 4), 2.0)

    case("mse", "mse", {}, {"a": uniform(2, 3, 4, 5), "b": uniform(2, 3, 4, 5)},
         lambda a, b: ((a - b) ** 2).mean())
    case("sse", "sse", {}, {"a": uniform(3, 7), "b": uniform(3, 7)},
         lambda a, b: ((a - b) ** 2).sum())

    fast_style_cases()
    instance_norm_cases()
    batch_cases()

    with open(os.path.join(OUT, "index.txt"), "w") as f:
        f.write(f"# written by tensor/src/test/python/make_op_fixtures.py with PyTorch {torch.__version__}\n")
        f.write("# <case> <op> key=value ...; tensors in <case>.<name>.npy\n")
        f.write("\n".join(index) + "\n")
    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(index)} cases to {OUT} ({total / 1024:.0f} KiB)")


def batch_cases():
    """Batches of 2 to 4 through every op fast style transfer trains with (TransformerNet and the
    per-sample perceptual loss): 3x3 stride 2, 9x9 from and to 3 channels, pools, per-sample Gram,
    losses averaged over the batch as torch.nn.MSELoss does, and the residual add. Drawn from their
    own generator, so the cases above keep their files."""
    global gen
    gen = torch.Generator().manual_seed(20261130)

    conv2d("conv_n2_k3_s2_p1", (2, 4, 9, 8), 5, 3, 2, 1)
    conv2d("conv_n3_k9_s1_p4_rgb_in", (3, 3, 12, 11), 4, 9, 1, 4)
    conv2d("conv_n2_k9_s1_p4_rgb_out", (2, 5, 11, 12), 3, 9, 1, 4)
    conv2d("conv_n2_k9_s1_p0_rgb_in", (2, 3, 13, 12), 4, 9, 1, 0, bias=False)

    pool("maxpool_n3_k2_s2_p0", "max_pool2d", (3, 4, 6, 8), 2, 2, 0)
    pool("avgpool_n3_k2_s2_p0", "avg_pool2d", (3, 4, 7, 6), 2, 2, 0)

    gram("gram_n4_c5", (4, 5, 3, 6))

    mse_loss = torch.nn.MSELoss()  # mean over every element, so over the batch too
    case("mse_n4", "mse", {}, {"a": uniform(4, 3, 5, 6), "b": uniform(4, 3, 5, 6)},
         lambda a, b: mse_loss(a, b))
    case("sse_n3", "sse", {}, {"a": uniform(3, 2, 4, 5), "b": uniform(3, 2, 4, 5)},
         lambda a, b: ((a - b) ** 2).sum())

    case("add_n2", "add", {}, {"a": uniform(2, 4, 5, 6), "b": uniform(2, 4, 5, 6)}, lambda a, b: a + b)
    # a residual block's skip connection: x reaches y both directly and through the convolution
    case("residual_n2_k3_s1_p1", "residual_conv2d", {"stride": 1, "pad": 1, "bias": "true"},
         {"x": uniform(2, 4, 6, 5), "w": uniform(4, 4, 3, 3), "b": uniform(4)},
         lambda x, w, b: x + F.conv2d(x, w, b, stride=1, padding=1))


if __name__ == "__main__":
    main()
