#!/usr/bin/python3
"""Writes the seed inputs of WeightReadersFuzzTest: small valid files of every weight format.

    /usr/bin/python3 weights/src/test/python/make_fuzz_seeds.py

Standard library only (no PyTorch needed): torch.save's pickles are written by Python's own
pickle module, with stand-ins for the few torch globals a state dict names, so the opcodes are
the ones torch.save emits. Each file holds a couple of tiny tensors; small seeds keep the fuzzer
fast (it mutates whole inputs) while reaching every branch of the readers:

  torchZip/      zip format: float32, float16, bfloat16, float64, two tensors sharing one storage
                 at offsets, a checkpoint {"state_dict": ..., "epoch": ...} in pickle protocol 4
                 (FRAME, MEMOIZE, STACK_GLOBAL, SHORT_BINUNICODE), nn.Parameter wrappers
  torchLegacy/   legacy format (magic, 1001, sys info, pickle, keys, raw storages): float32,
                 bfloat16, float64 with two tensors sharing one storage
  safetensors/   float32 with __metadata__, float16, bfloat16, float64, int64, an empty tensor
  caffeModel/    V1 `layers` (legacy num/channels/height/width, unpacked floats), new `layer`
                 (BlobShape with packed dims, packed floats), double_data, a layer without blobs
  npy/           <f4 version 1.0 (2-D, 1-D, 0-D), <f8, version 2.0 header

Findings of the fuzzer land next to these files (crash-<sha1>) and stay as regression inputs.
"""
import io
import json
import os
import pickle
import struct
import sys
import types
import zipfile
from collections import OrderedDict

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "dev", "pixelgrad", "weights",
                    "WeightReadersFuzzTestInputs")

# --- stand-ins for the torch globals a state dict pickle names --------------------------------

torch = types.ModuleType("torch")
torch_utils = types.ModuleType("torch._utils")
torch._utils = torch_utils
sys.modules["torch"] = torch
sys.modules["torch._utils"] = torch_utils


def _global(module, name, value):
    value.__module__ = module.__name__
    value.__qualname__ = name
    value.__name__ = name
    setattr(module, name, value)
    return value


def _stub(*args):
    raise RuntimeError("never called: only named in pickles")


rebuild_tensor_v2 = _global(torch_utils, "_rebuild_tensor_v2", lambda *a: _stub())
rebuild_parameter = _global(torch_utils, "_rebuild_parameter", lambda *a: _stub())
STORAGE_TYPES = {}
for storage_name, fmt in [("FloatStorage", "<f"), ("HalfStorage", "<e"), ("DoubleStorage", "<d"),
                          ("BFloat16Storage", None), ("LongStorage", "<q")]:
    STORAGE_TYPES[storage_name] = (_global(torch, storage_name, type(storage_name, (), {})), fmt)


def bf16(v):
    return struct.pack("<f", v)[2:]


class Storage:
    def __init__(self, key, storage_name, values):
        self.key, self.type, self.values = key, storage_name, values
        fmt = STORAGE_TYPES[storage_name][1]
        self.data = b"".join(bf16(v) if fmt is None else struct.pack(fmt, v) for v in values)


class Tensor:
    def __init__(self, storage, offset, size):
        self.storage, self.offset, self.size = storage, offset, tuple(size)
        stride, s = [], 1
        for d in reversed(self.size):
            stride.insert(0, s)
            s *= d
        self.stride = tuple(stride)

    def __reduce_ex__(self, protocol):
        return rebuild_tensor_v2, (self.storage, self.offset, self.size, self.stride, False, OrderedDict())


class Parameter:
    def __init__(self, tensor):
        self.tensor = tensor

    def __reduce_ex__(self, protocol):
        return rebuild_parameter, (self.tensor, True, OrderedDict())


class TorchPickler(pickle.Pickler):
    def __init__(self, f, protocol, legacy):
        super().__init__(f, protocol=protocol)
        self.legacy = legacy
        self.storages = OrderedDict()

    def persistent_id(self, obj):
        if not isinstance(obj, Storage):
            return None
        self.storages[obj.key] = obj
        pid = ("storage", STORAGE_TYPES[obj.type][0], obj.key, "cpu", len(obj.values))
        return pid + (None,) if self.legacy else pid


def dumps(obj, protocol=2, legacy=False):
    f = io.BytesIO()
    p = TorchPickler(f, protocol, legacy)
    p.dump(obj)
    return f.getvalue(), p.storages


def state_dict(storage_name="FloatStorage"):
    w = Storage("0", storage_name, [0.5, -1.0, 0.25, 2.0, -0.125, 1.5])
    b = Storage("1", storage_name, [0.1, -0.2])
    sd = OrderedDict()
    sd["features.0.weight"] = Tensor(w, 0, (2, 1, 1, 3))
    sd["features.0.bias"] = Tensor(b, 0, (2,))
    return sd


def shared_state_dict(storage_name="FloatStorage"):
    s = Storage("0", storage_name, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0])
    sd = OrderedDict()
    sd["conv.weight"] = Tensor(s, 0, (2, 3))
    sd["conv.bias"] = Tensor(s, 6, (2,))
    return sd


def checkpoint():
    sd = OrderedDict((k, Parameter(t)) for k, t in state_dict().items())
    return {"state_dict": sd, "epoch": 3, "lr": 0.1, "big": 2 ** 70, "name": "vgg", "flags": [True, False, None],
            "blob": b"\x00\x01", "shape": (1, 2)}


# --- writers ------------------------------------------------------------------------------------

def torch_zip(obj, protocol=2):
    pkl, storages = dumps(obj, protocol)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        z.writestr("archive/data.pkl", pkl)
        z.writestr("archive/byteorder", "little")
        for key, s in storages.items():
            z.writestr("archive/data/" + key, s.data)
        z.writestr("archive/version", "3\n")
    return out.getvalue()


def torch_legacy(obj):
    out = io.BytesIO()
    out.write(pickle.dumps(0x1950a86a20f9469cfc6c, protocol=2))
    out.write(pickle.dumps(1001, protocol=2))
    out.write(pickle.dumps({"protocol_version": 1001, "little_endian": True,
                            "type_sizes": {"short": 2, "int": 4, "long": 4}}, protocol=2))
    pkl, storages = dumps(obj, 2, legacy=True)
    out.write(pkl)
    keys = sorted(storages)
    out.write(pickle.dumps(keys, protocol=2))
    for key in keys:
        s = storages[key]
        out.write(struct.pack("<q", len(s.values)))
        out.write(s.data)
    return out.getvalue()


def safetensors(tensors, metadata=None):
    """tensors: name -> (dtype, shape, raw bytes)."""
    header, data = {}, b""
    if metadata:
        header["__metadata__"] = metadata
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    return struct.pack("<Q", len(h)) + h + data


def varint(n):
    out = b""
    while True:
        b = n & 0x7f
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def field(number, wire, payload):
    tag = varint(number << 3 | wire)
    if wire == 0:
        return tag + varint(payload)
    if wire == 2:
        return tag + varint(len(payload)) + payload
    return tag + payload


def caffe_v1():
    blob_w = b"".join(field(i + 1, 0, d) for i, d in enumerate([2, 1, 1, 3]))
    blob_w += b"".join(field(5, 5, struct.pack("<f", v)) for v in [0.5, -1.0, 0.25, 2.0, -0.125, 1.5])
    blob_b = field(1, 0, 1) + field(2, 0, 1) + field(3, 0, 1) + field(4, 0, 2) + field(5, 2, struct.pack("<2f", 0.1, -0.2))
    conv = field(4, 2, b"conv1_1") + field(5, 0, 4) + field(6, 2, blob_w) + field(6, 2, blob_b)
    relu = field(4, 2, b"relu1_1") + field(5, 0, 18)
    return field(1, 2, b"VGG_ILSVRC_16_layers") + field(2, 2, conv) + field(2, 2, relu)


def caffe_layer():
    shape_w = field(1, 2, b"".join(varint(d) for d in [2, 1, 1, 3]))
    blob_w = field(7, 2, shape_w) + field(5, 2, struct.pack("<6f", 0.5, -1.0, 0.25, 2.0, -0.125, 1.5))
    blob_b = field(7, 2, field(1, 0, 2)) + b"".join(field(8, 1, struct.pack("<d", v)) for v in [0.1, -0.2])
    conv = field(1, 2, b"conv1_1") + field(2, 2, b"Convolution") + field(7, 2, blob_w) + field(7, 2, blob_b)
    relu = field(1, 2, b"relu1_1") + field(2, 2, b"ReLU")
    packed_doubles = field(7, 2, field(1, 0, 2)) + field(8, 2, struct.pack("<2d", 0.5, 0.25))
    fc = field(1, 2, b"fc8") + field(7, 2, packed_doubles)
    return field(1, 2, b"VGG_ILSVRC_19_layers") + field(100, 2, conv) + field(100, 2, relu) + field(100, 2, fc)


def npy(descr, shape, values, version=1):
    dims = ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (descr, dims)
    prefix = 10 if version == 1 else 12
    header += " " * (-(prefix + len(header) + 1) % 64) + "\n"
    length = struct.pack("<H", len(header)) if version == 1 else struct.pack("<I", len(header))
    fmt = "<%d%s" % (len(values), "f" if descr == "<f4" else "d")
    return b"\x93NUMPY" + bytes([version, 0]) + length + header.encode("latin1") + struct.pack(fmt, *values)


def main():
    f32 = lambda *v: struct.pack("<%df" % len(v), *v)
    seeds = {
        "torchZip": {
            "f32.pth": torch_zip(state_dict()),
            "f16.pth": torch_zip(state_dict("HalfStorage")),
            "bf16.pth": torch_zip(state_dict("BFloat16Storage")),
            "f64.pth": torch_zip(state_dict("DoubleStorage")),
            "shared_storage.pth": torch_zip(shared_state_dict()),
            "checkpoint_protocol4.pth": torch_zip(checkpoint(), protocol=4),
        },
        "torchLegacy": {
            "f32.pth": torch_legacy(state_dict()),
            "bf16.pth": torch_legacy(state_dict("BFloat16Storage")),
            "f64_shared_storage.pth": torch_legacy(shared_state_dict("DoubleStorage")),
        },
        "safetensors": {
            "f32_metadata.safetensors": safetensors(
                {"conv.weight": ("F32", (2, 1, 1, 3), f32(0.5, -1, 0.25, 2, -0.125, 1.5)), "conv.bias": ("F32", (2,), f32(0.1, -0.2))},
                {"format": "pt", "pixelgrad.arch": "vgg16"}),
            "f16.safetensors": safetensors({"w": ("F16", (2, 2), struct.pack("<4e", 1, -2, 0.5, 65504))}),
            "bf16.safetensors": safetensors({"w": ("BF16", (3,), bf16(1) + bf16(-2) + bf16(0.5))}),
            "f64_i64_empty.safetensors": safetensors({"d": ("F64", (2,), struct.pack("<2d", 1e-3, -7)),
                                                      "n": ("I64", (1,), struct.pack("<q", 42)), "e": ("F32", (0, 3), b"")}),
        },
        "caffeModel": {
            "v1_layers.caffemodel": caffe_v1(),
            "layer_blobshape.caffemodel": caffe_layer(),
        },
        "npy": {
            "f4_2d.npy": npy("<f4", (2, 3), [0.5, -1, 0.25, 2, -0.125, 1.5]),
            "f4_1d.npy": npy("<f4", (2,), [1, 2]),
            "f4_0d.npy": npy("<f4", (), [3]),
            "f8.npy": npy("<f8", (1, 2), [1e-3, -7]),
            "f4_v2.npy": npy("<f4", (2,), [1, 2], version=2),
        },
    }
    for method, files in seeds.items():
        d = os.path.join(ROOT, method)
        os.makedirs(d, exist_ok=True)
        for name, data in files.items():
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
            print("%-60s %5d bytes" % (os.path.relpath(os.path.join(d, name)), len(data)))


if __name__ == "__main__":
    main()
