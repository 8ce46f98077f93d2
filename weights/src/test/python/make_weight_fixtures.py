#!/usr/bin/python3
"""Builds the weight fixtures the weights/ tests read, with PyTorch 1.13.

    /usr/bin/python3 weights/src/test/python/make_weight_fixtures.py [OUT_DIR]

OUT_DIR defaults to weights/src/test/resources/fixtures. The networks have VGG's structure with
reduced widths (blocks 4, 8, 8, 16, 16; fc 32; 10 classes) so every file is a few hundred KB.
Written:
  tiny_vgg16.pth               torch.save zip format, torchvision keys (features.N, classifier.N)
  tiny_vgg16_legacy.pth        the same, legacy format (_use_new_zipfile_serialization=False)
  tiny_vgg16_f16.pth           zip, float16          tiny_vgg16_bf16_legacy.pth  legacy, bfloat16
  tiny_vgg16_f64.pth           zip, float64          tiny_vgg16_shared.pth       every tensor a view
                                                     into one storage (storage offsets)
  tiny_vgg16_noncontig.pth     fc6.weight saved as a transposed (non-contiguous) view
  tiny_vgg16_timm.safetensors  timm's keys (pre_logits.fc1 as a 7x7 conv, pre_logits.fc2, head.fc)
  tiny_vgg16.caffemodel        Caffe V1 `layers` with legacy num/channels/height/width blob shapes
  tiny_vgg19.pth               zip, VGG-19          tiny_vgg19.caffemodel   new `layer`, BlobShape
  image.png (56x40), image224.png (224x224)
  features/<net>/<relu>.npy    PyTorch's activations at every relu for image.png, nets vgg16 and
                               vgg19 (torchvision preprocessing) and vgg16_caffe (the caffemodel,
                               Caffe preprocessing: BGR, [0,255], minus the Caffe mean)
  logits/vgg16_image224.npy    PyTorch's fc8 output for image224.png (torchvision preprocessing)
"""
import json
import os
import struct
import sys
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
from PIL import Image

assert torch.__version__.startswith("1.13"), "fixtures are pinned to PyTorch 1.13, found " + torch.__version__

WIDTHS = [4, 8, 8, 16, 16]
FC, CLASSES = 32, 10
CONVS = {"vgg16": [2, 2, 3, 3, 3], "vgg19": [2, 2, 4, 4, 4]}
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
CAFFE_MEAN_BGR = [103.939, 116.779, 123.68]


class TinyVgg(nn.Module):
    """torchvision's VGG layout (so the keys are features.N / classifier.N) at reduced width."""

    def __init__(self, arch):
        super().__init__()
        layers, c = [], 3
        for b, n in enumerate(CONVS[arch]):
            for _ in range(n):
                layers += [nn.Conv2d(c, WIDTHS[b], 3, padding=1), nn.ReLU(inplace=False)]
                c = WIDTHS[b]
            layers.append(nn.MaxPool2d(2, 2))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Linear(c * 49, FC), nn.ReLU(), nn.Dropout(), nn.Linear(FC, FC), nn.ReLU(),
                                        nn.Dropout(), nn.Linear(FC, CLASSES))
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                fan_in = m.weight[0].numel()
                nn.init.normal_(m.weight, 0.0, (2.0 / fan_in) ** 0.5)
                nn.init.normal_(m.bias, 0.0, 0.1)

    def relu_features(self, x):
        """{relu name: activation} for every relu of the feature part."""
        out, b, i = OrderedDict(), 1, 1
        for m in self.features:
            x = m(x)
            if isinstance(m, nn.ReLU):
                out["relu%d_%d" % (b, i)] = x
                i += 1
            elif isinstance(m, nn.MaxPool2d):
                b, i = b + 1, 1
        return out

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def standard_names(arch):
    names = []
    for b, n in enumerate(CONVS[arch]):
        names += ["conv%d_%d" % (b + 1, i + 1) for i in range(n)]
    return names


def conv_layers(model):
    return [m for m in model.features if isinstance(m, nn.Conv2d)]


def fc_layers(model):
    return [m for m in model.classifier if isinstance(m, nn.Linear)]


def save_npy(path, t):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, t.detach().numpy().astype(np.float32))


def write_safetensors(path, tensors, metadata=None):
    """The format by hand: u64 LE header length, JSON header (padded to 8 with spaces), raw float32 data."""
    header, blobs, offset = OrderedDict(), [], 0
    if metadata:
        header["__metadata__"] = OrderedDict(metadata)
    for name, t in tensors.items():
        data = t.detach().contiguous().numpy().astype(np.float32).tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def caffe_classes():
    """Minimal caffe.proto (field numbers as in Caffe's) compiled at run time from a descriptor."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    F = descriptor_pb2.FieldDescriptorProto
    fdp = descriptor_pb2.FileDescriptorProto(name="mini_caffe.proto", package="caffe", syntax="proto2")

    def message(name, fields):
        m = fdp.message_type.add(name=name)
        for fname, number, ftype, label, type_name, packed in fields:
            f = m.field.add(name=fname, number=number, type=ftype, label=label)
            if type_name:
                f.type_name = type_name
            if packed:
                f.options.packed = True

    OPT, REP = F.LABEL_OPTIONAL, F.LABEL_REPEATED
    message("BlobShape", [("dim", 1, F.TYPE_INT64, REP, None, True)])
    message("BlobProto", [("num", 1, F.TYPE_INT32, OPT, None, False), ("channels", 2, F.TYPE_INT32, OPT, None, False),
                          ("height", 3, F.TYPE_INT32, OPT, None, False), ("width", 4, F.TYPE_INT32, OPT, None, False),
                          ("data", 5, F.TYPE_FLOAT, REP, None, True), ("shape", 7, F.TYPE_MESSAGE, OPT, ".caffe.BlobShape", False)])
    message("V1LayerParameter", [("bottom", 2, F.TYPE_STRING, REP, None, False), ("top", 3, F.TYPE_STRING, REP, None, False),
                                 ("name", 4, F.TYPE_STRING, OPT, None, False), ("type", 5, F.TYPE_INT32, OPT, None, False),
                                 ("blobs", 6, F.TYPE_MESSAGE, REP, ".caffe.BlobProto", False)])
    message("LayerParameter", [("name", 1, F.TYPE_STRING, OPT, None, False), ("type", 2, F.TYPE_STRING, OPT, None, False),
                               ("blobs", 7, F.TYPE_MESSAGE, REP, ".caffe.BlobProto", False)])
    message("NetParameter", [("name", 1, F.TYPE_STRING, OPT, None, False),
                             ("layers", 2, F.TYPE_MESSAGE, REP, ".caffe.V1LayerParameter", False),
                             ("layer", 100, F.TYPE_MESSAGE, REP, ".caffe.LayerParameter", False)])
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)

    def cls(name):
        d = pool.FindMessageTypeByName("caffe." + name)
        if hasattr(message_factory, "GetMessageClass"):
            return message_factory.GetMessageClass(d)
        return message_factory.MessageFactory(pool).GetPrototype(d)

    return cls("NetParameter")


def write_caffemodel(path, model, arch, v1):
    Net = caffe_classes()
    net = Net(name="tiny_" + arch)
    names = standard_names(arch)
    params = [(n, m) for n, m in zip(names, conv_layers(model))]
    params += [(n, m) for n, m in zip(["fc6", "fc7", "fc8"], fc_layers(model))]
    for name, m in params:
        layer = net.layers.add(name=name, type=4 if name.startswith("conv") else 14) if v1 else net.layer.add(
            name=name, type="Convolution" if name.startswith("conv") else "InnerProduct")
        for t in (m.weight, m.bias):
            blob = layer.blobs.add()
            v = t.detach().numpy().astype(np.float32)
            if v1:  # legacy 4-D shape: conv (out, in, 3, 3), fc (1, 1, out, in), bias (1, 1, 1, n)
                dims = list(v.shape) if v.ndim == 4 else [1] * (4 - v.ndim) + list(v.shape)
                blob.num, blob.channels, blob.height, blob.width = dims
            else:
                blob.shape.dim.extend(list(v.shape))
            blob.data.extend(v.reshape(-1).tolist())
        net.layers.add(name="relu_" + name, type=18) if v1 else net.layer.add(name="relu_" + name, type="ReLU")
    with open(path, "wb") as f:
        f.write(net.SerializeToString())


def state_dict(model, dtype=torch.float32):
    return OrderedDict((k, v.detach().to(dtype).clone()) for k, v in model.state_dict().items())


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "resources", "fixtures")
    os.makedirs(out, exist_ok=True)
    p = lambda *n: os.path.join(out, *n)
    torch.manual_seed(1234)
    nets = {arch: TinyVgg(arch).eval() for arch in ("vgg16", "vgg19")}
    vgg16 = nets["vgg16"]

    torch.save(state_dict(vgg16), p("tiny_vgg16.pth"))
    torch.save(state_dict(vgg16), p("tiny_vgg16_legacy.pth"), _use_new_zipfile_serialization=False)
    torch.save(state_dict(vgg16, torch.float16), p("tiny_vgg16_f16.pth"))
    torch.save(state_dict(vgg16, torch.bfloat16), p("tiny_vgg16_bf16_legacy.pth"), _use_new_zipfile_serialization=False)
    torch.save(state_dict(vgg16, torch.float64), p("tiny_vgg16_f64.pth"))
    sd = state_dict(vgg16)
    flat = torch.cat([v.reshape(-1) for v in sd.values()])
    shared, at = OrderedDict(), 0
    for k, v in sd.items():
        shared[k] = flat[at:at + v.numel()].view(v.shape)
        at += v.numel()
    torch.save(shared, p("tiny_vgg16_shared.pth"))
    nc = state_dict(vgg16)
    nc["classifier.0.weight"] = nc["classifier.0.weight"].t().contiguous().t()
    assert not nc["classifier.0.weight"].is_contiguous()
    torch.save(nc, p("tiny_vgg16_noncontig.pth"))

    timm = OrderedDict()
    for i, m in zip([i for i, m in enumerate(vgg16.features) if isinstance(m, nn.Conv2d)], conv_layers(vgg16)):
        timm["features.%d.weight" % i], timm["features.%d.bias" % i] = m.weight, m.bias
    fc6, fc7, fc8 = fc_layers(vgg16)
    timm["pre_logits.fc1.weight"], timm["pre_logits.fc1.bias"] = fc6.weight.reshape(FC, WIDTHS[4], 7, 7), fc6.bias
    timm["pre_logits.fc2.weight"], timm["pre_logits.fc2.bias"] = fc7.weight.reshape(FC, FC, 1, 1), fc7.bias
    timm["head.fc.weight"], timm["head.fc.bias"] = fc8.weight, fc8.bias
    write_safetensors(p("tiny_vgg16_timm.safetensors"), timm)
    write_caffemodel(p("tiny_vgg16.caffemodel"), vgg16, "vgg16", v1=True)

    torch.save(state_dict(nets["vgg19"]), p("tiny_vgg19.pth"))
    write_caffemodel(p("tiny_vgg19.caffemodel"), nets["vgg19"], "vgg19", v1=False)

    # images: smooth patterns (small PNGs), loaded back exactly as a reader would see them
    def pattern(h, w, seed):
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float64)
        rgb = [127.5 + 127.5 * np.sin(xx * (0.11 + 0.05 * c) + yy * (0.07 - 0.03 * c) + seed + c) for c in range(3)]
        return np.stack(rgb, -1).round().clip(0, 255).astype(np.uint8)

    Image.fromarray(pattern(40, 56, 0.3)).save(p("image.png"))
    Image.fromarray(pattern(224, 224, 1.7)).save(p("image224.png"))

    def load_rgb(name):
        a = np.asarray(Image.open(p(name)).convert("RGB"), dtype=np.float32) / 255.0
        return torch.from_numpy(a).permute(2, 0, 1).unsqueeze(0).contiguous()

    def torchvision_pre(x):
        return (x - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1)

    def caffe_pre(x):
        return x[:, [2, 1, 0]] * 255.0 - torch.tensor(CAFFE_MEAN_BGR).view(1, 3, 1, 1)

    with torch.no_grad():
        x = load_rgb("image.png")
        for arch, model in nets.items():
            for name, a in model.relu_features(torchvision_pre(x)).items():
                save_npy(p("features", arch, name + ".npy"), a)
        for name, a in vgg16.relu_features(caffe_pre(x)).items():
            save_npy(p("features", "vgg16_caffe", name + ".npy"), a)
        save_npy(p("logits", "vgg16_image224.npy"), vgg16(torchvision_pre(load_rgb("image224.png"))))
    print("fixtures written to", os.path.abspath(out))


if __name__ == "__main__":
    main()
