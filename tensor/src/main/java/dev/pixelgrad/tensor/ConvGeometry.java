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

    /**
     * Whether backward-to-data is itself a forward convolution: with stride 1 and padding below
     * the kernel size, dx = conv(dy padded by r-1-p, w rotated 180 degrees with k and c swapped).
     */
    public boolean backwardDataIsConvolution() {
        return strideH == 1 && strideW == 1 && padH < r && padW < s;
    }

    /**
     * Whether both backends run this convolution by Winograd's minimal filtering: 3x3, stride 1,
     * padding at most 2 (so backward to the data, padded 2 - p, is one too), and at least
     * {@code minChannels} channels on each side, below which the products are too shallow to pay
     * for the transforms.
     */
    public boolean suitsWinograd(int minChannels) {
        return r == 3 && s == 3 && strideH == 1 && strideW == 1 && padH <= 2 && padW <= 2
                && Math.min(c, k) >= minChannels;
    }

    /**
     * The geometry of that forward convolution ({@link #backwardDataIsConvolution()} must hold):
     * input dy (n, k, outH, outW), weights (c, k, r, s), output dx (n, c, h, w).
     */
    public ConvGeometry transposedForData() {
        if (!backwardDataIsConvolution()) {
            throw new IllegalStateException("conv2d: backward to the data of " + this
                    + " is no forward convolution (it needs stride 1 and padding below the kernel size)");
        }
        return new ConvGeometry(n, k, outH(), outW(), c, r, s, 1, 1, r - 1 - padH, s - 1 - padW);
    }
}
