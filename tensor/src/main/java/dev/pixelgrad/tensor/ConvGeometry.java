package dev.pixelgrad.tensor;

/**
 * Sizes of one 2-D convolution, as the kernels need them.
 * <pre>
 * x: (n, c, h, w)   w: (k, c, r, s)   y: (n, k, outH, outW)
 * outH = (h + 2 padH - r) / strideH + 1
 * </pre>
 */
public record ConvGeometry(int n, int c, int h, int w, int k, int r, int s,
                           int strideH, int strideW, int padH, int padW) {

    public int outH() {
        return (h + 2 * padH - r) / strideH + 1;
    }

    public int outW() {
        return (w + 2 * padW - s) / strideW + 1;
    }

    public long inputSize() {
        return (long) n * c * h * w;
    }

    public long weightSize() {
        return (long) k * c * r * s;
    }

    public long outputSize() {
        return (long) n * k * outH() * outW();
    }

    /** Multiply-adds counted as two FLOP: 2 n k outH outW c r s (the same for each of the three passes). */
    public double flops() {
        return 2.0 * n * k * outH() * outW() * c * r * s;
    }
}
