"""PyTorch's peak memory for the work of `pixelgrad style --size N --iterations 2`: VGG-19's
convolution layers only (no classifier), a Gatys loss (content at relu4_2, Gram matrices at
relu1_1..relu5_1) and two L-BFGS iterations on an N x N image. Run it under /usr/bin/time -v and
read "Maximum resident set size", next to the same for pixelgrad.

    OPENBLAS_NUM_THREADS=2 /usr/bin/time -v /usr/bin/python3 bench/python/style_memory.py 1024
"""
import resource
import sys

import torch
import torchvision

torch.set_num_threads(2)
size = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
vgg = torchvision.models.vgg19().features[:30].eval()   # up to relu5_1
for p in vgg.parameters():
    p.requires_grad_(False)
STYLE, CONTENT = (1, 6, 11, 20, 29), 22


def features(x):
    out = {}
    for i, layer in enumerate(vgg):
        x = layer(x)
        if i in STYLE or i == CONTENT:
            out[i] = x
    return out


def gram(f):
    f = f.reshape(f.shape[1], -1)
    return f @ f.t() / f.shape[1]


with torch.no_grad():
    content = features(torch.randn(1, 3, size, size))[CONTENT]
    styles = {i: gram(f) for i, f in features(torch.randn(1, 3, size, size)).items() if i in STYLE}
x = torch.randn(1, 3, size, size, requires_grad=True)
opt = torch.optim.LBFGS([x], max_iter=1)


def closure():
    opt.zero_grad()
    f = features(x)
    loss = ((f[CONTENT] - content) ** 2).sum() + 1e3 * sum(((gram(f[i]) - styles[i]) ** 2).sum() for i in STYLE)
    loss.backward()
    return loss


for _ in range(2):
    opt.step(closure)
print(f"style {size}x{size}, 2 iterations: peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
