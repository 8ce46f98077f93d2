#!/usr/bin/python3
"""Builds the fast-style transformer network fixtures the weights/ tests read, with PyTorch 1.13.

    /usr/bin/python3 weights/src/test/python/make_transformer_fixtures.py [OUT_DIR]

OUT_DIR defaults to weights/src/test/resources/fixtures/transformer. The network is
pytorch/examples' fast_neural_style TransformerNet with its channel width as an argument (32 in
the example, 16 for jcjohnson's half width), here 4, with seeded random weights; the instance
norms' weights and biases are random too so that they are tested. Written:
  transformer_w4.pth               torch.save(model.state_dict()), zip format
  transformer_w4_legacy.pth        the same, _use_new_zipfile_serialization=False
  transformer_w4_running.pth       legacy, plus the in*.running_mean / running_var buffers that
                                   checkpoints of old PyTorch versions carry (the example drops them)
  transformer_w4.safetensors       the state dict with Pixelgrad's transformer-net metadata
  transformer_w4_io.safetensors    x: input (2, 3, 20, 28) in 0..255, y: the output, r: random
                                   weights of the loss L = sum(r * y), grad.x: dL/dx, and
                                   grad.<name>: dL/d<name> for every parameter

The class and the writers are module-level so that other scripts can import them.
"""
import os
import sys
from collections import OrderedDict

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_weight_fixtures import write_safetensors  # noqa: E402,F401  (also imported from here by other scripts)

assert torch.__version__.startswith("1.13"), "fixtures are pinned to PyTorch 1.13, found " + torch.__version__

WIDTH = 4
BATCH, HEIGHT, WIDTH_PX = 2, 20, 28
FORMAT_ID = "pixelgrad-transformer-net"


class TransformerNet(torch.nn.Module):
    """pytorch/examples fast_neural_style/neural_style/transformer_net.py with width w (32 there)."""

    def __init__(self, width=32):
        super().__init__()
        w = width
        self.conv1 = ConvLayer(3, w, kernel_size=9, stride=1)
        self.in1 = torch.nn.InstanceNorm2d(w, affine=True)
        self.conv2 = ConvLayer(w, 2 * w, kernel_size=3, stride=2)
        self.in2 = torch.nn.InstanceNorm2d(2 * w, affine=True)
        self.conv3 = ConvLayer(2 * w, 4 * w, kernel_size=3, stride=2)
        self.in3 = torch.nn.InstanceNorm2d(4 * w, affine=True)
        self.res1 = ResidualBlock(4 * w)
        self.res2 = ResidualBlock(4 * w)
        self.res3 = ResidualBlock(4 * w)
        self.res4 = ResidualBlock(4 * w)
        self.res5 = ResidualBlock(4 * w)
        self.deconv1 = UpsampleConvLayer(4 * w, 2 * w, kernel_size=3, stride=1, upsample=2)
        self.in4 = torch.nn.InstanceNorm2d(2 * w, affine=True)
        self.deconv2 = UpsampleConvLayer(2 * w, w, kernel_size=3, stride=1, upsample=2)
        self.in5 = torch.nn.InstanceNorm2d(w, affine=True)
        self.deconv3 = ConvLayer(w, 3, kernel_size=9, stride=1)
        self.relu = torch.nn.ReLU()

    def forward(self, x):
        y = self.relu(self.in1(self.conv1(x)))
        y = self.relu(self.in2(self.conv2(y)))
        y = self.relu(self.in3(self.conv3(y)))
        y = self.res1(y)
        y = self.res2(y)
        y = self.res3(y)
        y = self.res4(y)
        y = self.res5(y)
        y = self.relu(self.in4(self.deconv1(y)))
        y = self.relu(self.in5(self.deconv2(y)))
        return self.deconv3(y)


class ConvLayer(torch.nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride):
        super().__init__()
        self.reflection_pad = torch.nn.ReflectionPad2d(kernel_size // 2)
        self.conv2d = torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride)

    def forward(self, x):
        return self.conv2d(self.reflection_pad(x))


class ResidualBlock(torch.nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = ConvLayer(channels, channels, kernel_size=3, stride=1)
        self.in1 = torch.nn.InstanceNorm2d(channels, affine=True)
        self.conv2 = ConvLayer(channels, channels, kernel_size=3, stride=1)
        self.in2 = torch.nn.InstanceNorm2d(channels, affine=True)
        self.relu = torch.nn.ReLU()

    def forward(self, x):
        out = self.relu(self.in1(self.conv1(x)))
        return self.in2(self.conv2(out)) + x


class UpsampleConvLayer(torch.nn.Module):
    def __init__(self, in_channels, out_channels, kernel_size, stride, upsample=None):
        super().__init__()
        self.upsample = upsample
        if upsample:
            self.upsample_layer = torch.nn.Upsample(mode="nearest", scale_factor=upsample)
        self.reflection_pad = torch.nn.ReflectionPad2d(kernel_size // 2)
        self.conv2d = torch.nn.Conv2d(in_channels, out_channels, kernel_size, stride)

    def forward(self, x):
        if self.upsample:
            x = self.upsample_layer(x)
        return self.conv2d(self.reflection_pad(x))


def transformer_metadata(width, training=None):
    """Pixelgrad's transformer-net safetensors metadata (training: free-form string pairs)."""
    meta = OrderedDict(format=FORMAT_ID, format_version="1", architecture="transformer_net", width=str(width))
    for k, v in (training or {}).items():
        meta["training." + k] = str(v)
    return meta


def seeded_model(width, seed):
    """PyTorch's default init drawn from `seed`, then random instance-norm weights and biases."""
    torch.manual_seed(seed)
    model = TransformerNet(width)
    g = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, torch.nn.InstanceNorm2d):
                m.weight.copy_(1 + 0.3 * torch.randn(m.weight.shape, generator=g))
                m.bias.copy_(0.2 * torch.randn(m.bias.shape, generator=g))
    return model


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures",
                                                              "transformer")
    os.makedirs(out, exist_ok=True)
    p = lambda name: os.path.join(out, name)
    model = seeded_model(WIDTH, 1234)
    sd = model.state_dict()
    torch.save(sd, p("transformer_w%d.pth" % WIDTH))
    torch.save(sd, p("transformer_w%d_legacy.pth" % WIDTH), _use_new_zipfile_serialization=False)
    old = OrderedDict()
    for k, v in sd.items():
        old[k] = v
        if ".in" in "." + k and k.endswith(".bias"):
            c = v.shape[0]
            old[k[:-len("bias")] + "running_mean"] = torch.zeros(c)
            old[k[:-len("bias")] + "running_var"] = torch.ones(c)
    torch.save(old, p("transformer_w%d_running.pth" % WIDTH), _use_new_zipfile_serialization=False)
    write_safetensors(p("transformer_w%d.safetensors" % WIDTH), sd,
                      transformer_metadata(WIDTH, {"note": "seeded random weights, not trained"}))

    g = torch.Generator().manual_seed(99)
    x = (torch.rand(BATCH, 3, HEIGHT, WIDTH_PX, generator=g) * 255).requires_grad_(True)
    y = model(x)
    r = torch.randn(y.shape, generator=g)
    (r * y).sum().backward()
    io = OrderedDict(x=x, y=y, r=r)
    io["grad.x"] = x.grad
    for name, t in model.named_parameters():
        io["grad." + name] = t.grad
    write_safetensors(p("transformer_w%d_io.safetensors" % WIDTH), io)


if __name__ == "__main__":
    main()
