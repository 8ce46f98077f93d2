package dev.pixelgrad.tensor;

/** Stride and zero padding of a 2-D convolution (the kernel size comes from the weight). */
public record Conv2dSpec(int strideH, int strideW, int padH, int padW) {
    public Conv2dSpec {
        if (strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("conv2d: stride must be >= 1 and padding >= 0, got stride ("
                    + strideH + "," + strideW + ") padding (" + padH + "," + padW + ")");
        }
    }

    public static Conv2dSpec of(int stride, int pad) {
        return new Conv2dSpec(stride, stride, pad, pad);
    }
}
