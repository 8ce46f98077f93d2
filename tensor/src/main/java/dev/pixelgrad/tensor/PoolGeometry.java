package dev.pixelgrad.tensor;

/**
 * Sizes of one 2-D pooling window sweep over x: (n, c, h, w), giving y: (n, c, outH, outW).
 * Windows hanging over the padding see -inf (max) or zeros that still count (average, as
 * PyTorch's default {@code count_include_pad=True}).
 */
public record PoolGeometry(int n, int c, int h, int w, int kernelH, int kernelW,
                           int strideH, int strideW, int padH, int padW) {

    /**
     * VGG's pooling: 2x2 windows, stride 2, no padding, so every window lies inside the image and
     * no two windows share a pixel; both backends have paths of their own for it.
     */
    public boolean isVggWindow() {
        return kernelH == 2 && kernelW == 2 && strideH == 2 && strideW == 2 && padH == 0 && padW == 0;
    }

    public int outH() {
        return (h + 2 * padH - kernelH) / strideH + 1;
    }

    public int outW() {
        return (w + 2 * padW - kernelW) / strideW + 1;
    }

    public long inputSize() {
        return (long) n * c * h * w;
    }

    public long outputSize() {
        return (long) n * c * outH() * outW();
    }
}
