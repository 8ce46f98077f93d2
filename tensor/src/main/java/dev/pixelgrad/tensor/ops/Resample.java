package dev.pixelgrad.tensor.ops;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Op;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

/**
 * Separable linear resampling of every plane: Y_p = R_y X_p R_x^T, with the rows of R_y and R_x
 * holding the interpolation weights of each output row and column (area averages, bilinear,
 * bicubic: any linear resize is such a pair). The matrices are constants.
 * <pre>x: (N, C, H, W)   R_y: (H', H)   R_x: (W', W)   y: (N, C, H', W')</pre>
 */
public final class Resample extends Op {
    private final Tensor ry, rx;

    private Resample(Tensor ry, Tensor rx) {
        this.ry = ry;
        this.rx = rx;
    }

    public static Tensor apply(Tensor x, Tensor ry, Tensor rx) {
        Backend be = sameBackend("resample", x, ry, rx);
        Shape s = x.shape().requireRank(4, "resample", "image (N, C, H, W)");
        ry.shape().requireRank(2, "resample", "row weights R_y (H', H)");
        rx.shape().requireRank(2, "resample", "column weights R_x (W', W)");
        int h = s.dim(2), w = s.dim(3), outH = ry.shape().dim(0), outW = rx.shape().dim(0);
        if (ry.shape().dim(1) != h || rx.shape().dim(1) != w) {
            throw new IllegalArgumentException("resample: image " + s + " needs R_y (" + outH + ", " + h + ") and R_x ("
                    + outW + ", " + w + "), got R_y " + ry.shape() + " and R_x " + rx.shape());
        }
        if (ry.requiresGrad() || rx.requiresGrad()) {
            throw new IllegalArgumentException("resample: the weight matrices are constants; detach() them");
        }
        Tensor y = Tensor.zeros(Shape.of(s.dim(0), s.dim(1), outH, outW), be);
        try (Tensor t = Tensor.zeros(Shape.of(h, outW), be)) {
            for (int p = 0; p < s.dim(0) * s.dim(1); p++) {
                // T = X_p R_x^T (H, W'), then Y_p = R_y T (H', W')
                be.gemm(false, true, h, outW, w, 1f, x.data(), (long) p * h * w, rx.data(), 0, 0f, t.data(), 0);
                be.gemm(false, false, outH, outW, h, 1f, ry.data(), 0, t.data(), 0, 0f, y.data(), (long) p * outH * outW);
            }
        }
        return new Resample(ry, rx).record(y, x);
    }

    @Override
    protected void backward(Tensor dy) {
        // forward: Y_p = R_y X_p R_x^T  =>  dX_p += R_y^T dY_p R_x
        Backend be = dy.backend();
        Shape s = input(0).shape();
        int h = s.dim(2), w = s.dim(3), outH = ry.shape().dim(0), outW = rx.shape().dim(0);
        try (Tensor t = Tensor.zeros(Shape.of(h, outW), be)) {
            for (int p = 0; p < s.dim(0) * s.dim(1); p++) {
                be.gemm(true, false, h, outW, outH, 1f, ry.data(), 0, dy.data(), (long) p * outH * outW, 0f, t.data(), 0);
                be.gemm(false, false, h, w, outW, 1f, t.data(), 0, rx.data(), 0, 1f, gradOf(0), (long) p * h * w);
            }
        }
    }

    @Override
    public String name() {
        return "resample";
    }
}
