package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.ConvGeometry;

/**
 * Convolution as matrix products, one image at a time.
 * <pre>
 * x: (N, C, H, W)   w: (K, C R S) as a matrix   cols: (C R S, P), P = outH outW   y: (N, K, P)
 * forward          y[n]  = W cols(x[n]) + b          implicit GEMM: cols is packed straight from x;
 *                                                     few output channels (K <= 8): FewOutputChannels, no columns
 * backward data    dx[n] += fold(W^T dy[n])          stride 1: a forward convolution of dy with the rotated W
 * backward weights dw   += dy[n] cols(x[n])^T        implicit GEMM: cols^T is packed straight from x;
 *                                                     few output channels (K <= 8): FewOutputChannels, no columns
 * </pre>
 * 3x3, stride-1 convolutions with at least Winograd.MIN_CHANNELS on both sides go to Winograd
 * (forward and backward data), about 4x fewer multiply-adds.
 * A 1x1, stride-1, unpadded convolution needs no columns at all: cols(x) = x; on 1x1 images (a
 * fully connected layer) over a few images it is FullyConnected's streamed matrix-vector products.
 */
final class Convolution {
    /** Most floats of explicit columns held at once (64 MiB). */
    private static final long COLUMNS_MAX = 1L << 24;

    private Convolution() {
    }

    static boolean pointwise(ConvGeometry g) {
        return g.r() == 1 && g.s() == 1 && g.strideH() == 1 && g.strideW() == 1 && g.padH() == 0 && g.padW() == 0;
    }

    /**
     * y[n] = W cols(x[n]) + b; 3x3 stride-1 convolutions with enough channels by Winograd, which
     * keeps w's transform while w's version (its buffer's write count) stays the same
     * ({@link WinogradWeights#UNVERSIONED}: transformed afresh).
     */
    static void forward(ConvGeometry g, float[] x, float[] w, long wVersion, float[] bias, float[] y) {
        if (Winograd.suits(g)) {
            Winograd.forward(g, x, w, wVersion, bias, y);
        } else {
            forwardDirect(g, x, w, bias, y);
        }
    }

    /** y[n] = W cols(x[n]) + b, without Winograd. */
    static void forwardDirect(ConvGeometry g, float[] x, float[] w, float[] bias, float[] y) {
        if (FullyConnected.suits(g)) {
            FullyConnected.forward(g, x, w, bias, y);
            return;
        }
        if (!pointwise(g) && FewOutputChannels.suits(g)) {
            FewOutputChannels.forward(g, x, w, bias, y);
            return;
        }
        int crs = g.c() * g.r() * g.s(), p = g.outH() * g.outW(), hw = g.h() * g.w();
        Operand weights = new Operand.Dense(w, 0, crs, false);
        for (int n = 0; n < g.n(); n++) {
            int offX = n * g.c() * hw, offY = n * g.k() * p;
            Operand cols = pointwise(g) ? new Operand.Dense(x, offX, hw, false) : new ConvOperands.Columns(g, x, offX);
            Gemm.multiply(g.k(), p, crs, 1f, weights, cols, 0f, y, offY, p);
            if (bias != null) {
                Parallel.forRange(g.k(), p, (from, to) -> {
                    for (int k = from; k < to; k++) {
                        float b = bias[k];
                        int o = offY + k * p;
                        for (int j = 0; j < p; j++) {
                            y[o + j] += b;
                        }
                    }
                });
            }
        }
    }

    /** dx[n] += fold(W^T dy[n]); 3x3 stride-1 convolutions with enough channels by Winograd. */
    static void backwardData(ConvGeometry g, float[] dy, float[] w, long wVersion, float[] dx) {
        if (Winograd.suits(g)) {
            Winograd.backwardData(g, dy, w, wVersion, dx);
        } else {
            backwardDataDirect(g, dy, w, dx);
        }
    }

    /** dx[n] += fold(W^T dy[n]), without Winograd. */
    static void backwardDataDirect(ConvGeometry g, float[] dy, float[] w, float[] dx) {
        if (FullyConnected.suits(g)) {
            FullyConnected.backwardData(g, dy, w, dx);
            return;
        }
        int crs = g.c() * g.r() * g.s(), p = g.outH() * g.outW(), hw = g.h() * g.w();
        boolean rotate = g.backwardDataIsConvolution();
        // dy seen as the input of the transposed convolution: (K, outH, outW) -> (C, H, W).
        ConvGeometry t = rotate ? g.transposedForData() : null;
        if (rotate && !pointwise(g) && FewOutputChannels.suits(t)) {
            // Few input channels (an RGB image under its first layer): the transposed convolution
            // has few outputs, which columns would pad and pack for 2 C flops each.
            FewOutputChannels.forward(t, dy, ConvOperands.rotatedWeights(g, w), null, dx, true);
            return;
        }
        int chunk = columnChunk(crs, p);
        for (int n = 0; n < g.n(); n++) {
            int offX = n * g.c() * hw, offY = n * g.k() * p;
            if (pointwise(g)) {
                Gemm.multiply(g.c(), hw, g.k(), 1f, new Operand.Dense(w, 0, g.c(), true),
                        new Operand.Dense(dy, offY, p, false), 1f, dx, offX, hw);
            } else if (rotate) {
                Gemm.multiply(g.c(), hw, g.k() * g.r() * g.s(), 1f, new ConvOperands.Rotated(g, w),
                        new ConvOperands.Columns(t, dy, offY), 1f, dx, offX, hw);
            } else {
                float[] dcols = Workspace.get().columns((long) crs * chunk);
                for (int p0 = 0; p0 < p; p0 += chunk) {
                    int pc = Math.min(chunk, p - p0);
                    Gemm.multiply(crs, pc, g.k(), 1f, new Operand.Dense(w, 0, crs, true),
                            new Operand.Dense(dy, offY + p0, p, false), 0f, dcols, 0, pc);
                    Im2col.foldAdd(g, dcols, p0, pc, dx, offX);
                }
            }
        }
    }

    /** dw += dy[n] cols(x[n])^T;  db += row sums of dy[n]. */
    static void backwardWeights(ConvGeometry g, float[] x, float[] dy, float[] dw, float[] db) {
        if (dw != null && FullyConnected.suits(g)) {
            FullyConnected.weightGradient(g, x, dy, dw);
        } else if (dw != null && !pointwise(g) && FewOutputChannels.suits(g)) {
            FewOutputChannels.weightGradient(g, x, dy, dw);
        } else if (dw != null) {
            weightGradientByGemm(g, x, dy, dw);
        }
        if (db != null) {
            int p = g.outH() * g.outW();
            for (int n = 0; n < g.n(); n++) {
                int offY = n * g.k() * p;
                for (int k = 0; k < g.k(); k++) {
                    double s = 0;
                    for (int j = 0; j < p; j++) {
                        s += dy[offY + k * p + j];
                    }
                    db[k] += (float) s;
                }
            }
        }
    }

    /** dw += dy[n] cols(x[n])^T, image by image; cols^T is packed straight from x. */
    private static void weightGradientByGemm(ConvGeometry g, float[] x, float[] dy, float[] dw) {
        int crs = g.c() * g.r() * g.s(), p = g.outH() * g.outW(), hw = g.h() * g.w();
        for (int n = 0; n < g.n(); n++) {
            int offX = n * g.c() * hw, offY = n * g.k() * p;
            Operand colsT = pointwise(g) ? new Operand.Dense(x, offX, hw, true) : new ConvOperands.TransposedColumns(g, x, offX);
            Gemm.multiply(g.k(), crs, p, 1f, new Operand.Dense(dy, offY, p, false), colsT, 1f, dw, 0, crs);
        }
    }

    /** Pixels per range of explicit columns: all of them unless the buffer would pass COLUMNS_MAX. */
    private static int columnChunk(int crs, int p) {
        return (int) Math.max(1, Math.min(p, COLUMNS_MAX / crs));
    }
}
