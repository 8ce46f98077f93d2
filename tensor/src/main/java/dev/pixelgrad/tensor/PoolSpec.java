package dev.pixelgrad.tensor;

/** Window size, stride and padding of a 2-D pooling. */
public record PoolSpec(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW) {
    public PoolSpec {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1 || padH < 0 || padW < 0) {
            throw new IllegalArgumentException("pool2d: kernel and stride must be >= 1 and padding >= 0, got kernel ("
                    + kernelH + "," + kernelW + ") stride (" + strideH + "," + strideW + ") padding (" + padH + "," + padW + ")");
        }
        if (2 * padH > kernelH || 2 * padW > kernelW) {
            throw new IllegalArgumentException("pool2d: padding (" + padH + "," + padW
                    + ") must be at most half the kernel (" + kernelH + "," + kernelW + ")");
        }
    }

    public static PoolSpec of(int kernel, int stride, int pad) {
        return new PoolSpec(kernel, kernel, stride, stride, pad, pad);
    }

    PoolGeometry geometry(Shape x) {
        return new PoolGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), kernelH, kernelW, strideH, strideW, padH, padW);
    }

    /** The geometry for input shape x (n, c, h, w); {@code op} names the caller in errors. */
    public PoolGeometry geometryFor(Shape x, String op) {
        x.requireRank(4, op, "input");
        if (x.dim(2) + 2 * padH < kernelH || x.dim(3) + 2 * padW < kernelW) {
            throw new IllegalArgumentException(op + ": input " + x + " is smaller than the " + kernelH + "x" + kernelW + " window");
        }
        return geometry(x);
    }
}
