package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.ConvGeometry;
import dev.pixelgrad.tensor.Storage;

import static dev.pixelgrad.kernels.ClRuntime.buf;

/**
 * The three passes of a 2-D convolution on the device, each by the strategy that suits it.
 * <pre>
 * x: (N, C, H, W)   w: (K, C, R, S)   y: (N, K, OH, OW)
 * forward          direct: conv_forward over weights packed in tiles of KT output channels;
 *                  by GEMM (local-memory GEMM tiles, OH OW &lt;= 128^2): y[n] = W colsT(x[n])^T
 * backward data    stride 1, pad &lt; kernel: the forward convolution of dy with w rotated 180
 *                  degrees and channels swapped ({@link ConvGeometry#transposedForData()}), by
 *                  either forward strategy; other strides: on CPUs the same after spreading dy
 *                  out with zeros ({@link #dilatedForData}), else dcols = W^T dy[n] by GEMM, col2im
 * backward weights dw += dy[n] cols(x[n])^T by GEMM over im2col columns; dbias by bias_backward
 * </pre>
 * On CPU devices 3x3, stride-1 convolutions with at least 32 channels each side go, forward and
 * backward to the data, through {@link ClWinograd} instead (4x fewer multiply-adds).
 * The GEMM route is for GPUs, where small late-layer images give the direct kernel too few
 * work-items to fill the device. CPU devices (tunings without local tiles) instead take the
 * row-vectorised kernels of {@code conv_rows.cl}: for the forward (and backward data) with stride 1
 * along W and at most {@link #FEW_OUTPUT_CHANNELS} outputs, which the channel-tiled direct kernel
 * pads to 16 or 32, and for every weight gradient.
 */
final class ClConvolution {
    /** Largest output (pixels per image) that a device with local-memory GEMM tiles convolves by GEMM. */
    static final int GEMM_CONV_MAX_PIXELS = 128 * 128;
    /** Output channels up to which a CPU device convolves by {@code conv_forward_rows}. */
    static final int FEW_OUTPUT_CHANNELS = 8;

    /** ROW_KB and ROW_SB of conv_rows.cl: output channels, and kernel columns in the weight gradient, per work-item. */
    private static final int ROW_KB = 4, ROW_SB = 3;
    /** ROW_PV of conv_rows.cl: float16 vectors of output pixels per forward work-item. */
    private static final int ROW_PV = 2;
    /**
     * Output pixels per band of the weight gradient: ROW_KB rows of dy over a band take 64 KiB, so
     * the work-items that follow, on the same band, find them in cache.
     */
    private static final int BAND_PIXELS = 4096;

    private final ClRuntime rt;
    private final ClGemm gemm;
    private final ClWinograd winograd;
    private final Tuning tuning;

    ClConvolution(ClRuntime rt, ClGemm gemm) {
        this.rt = rt;
        this.gemm = gemm;
        this.winograd = new ClWinograd(rt, gemm);
        this.tuning = rt.tuning();
    }

    /** y = conv(x, w) + bias (bias may be null); y is overwritten. */
    void forward(ConvGeometry g, Storage x, Storage w, Storage bias, Storage y) {
        if (byWinograd(g)) {
            winograd.forward(g, x, w, bias, y);
            return;
        }
        if (convolvesByRows(g)) {
            byRows(g, x, w, bias, y, false);
            return;
        }
        if (convolvesByGemm(g)) {
            byGemm(g, x, w, bias, y, false);
            return;
        }
        direct(g, x, packWeights(g, w, false), bias, y, false);
    }

    /** dx += conv_transpose(dy, w). */
    void backwardData(ConvGeometry g, Storage dy, Storage w, Storage dx) {
        // forward: y = conv(x, w)  =>  dx += conv_transpose(dy, w)
        if (byWinograd(g)) {
            winograd.backwardData(g, dy, w, dx);
            return;
        }
        if (g.backwardDataIsConvolution()) {
            forwardWithRotatedWeights(g.transposedForData(), dy, g, w, dx);
            return;
        }
        if (rowKernels() && g.padH() < g.r() && g.padW() < g.s()) {
            // Strided, on a CPU: dy spread out with zeros between its pixels (sh - 1 rows, sw - 1
            // columns) is convolved with stride 1 like the case above; the zeros cost more
            // multiply-adds than the GEMM route but run on the fast direct kernel.
            ConvGeometry t = dilatedForData(g);
            OpenClStorage spread = rt.scratch("dilatedGradient", t.inputSize());
            rt.fill(spread, 0f, t.inputSize());
            rt.run(rt.call("dilate_rows").mem(buf(dy)).mem(spread).i32(g.outH()).i32(g.outW()).i32(t.h()).i32(t.w())
                    .i32(g.strideH()).i32(g.strideW()), new long[]{g.outH(), (long) g.n() * g.k()}, new long[]{1, 1});
            forwardWithRotatedWeights(t, spread, g, w, dx);
            return;
        }
        // Any stride: dcols = W^T dy[n] by GEMM, then fold the columns back onto dx.
        int crs = g.c() * g.r() * g.s(), p = g.outH() * g.outW();
        OpenClStorage dcols = rt.scratch("cols", (long) crs * p);
        for (int n = 0; n < g.n(); n++) {
            gemm.gemm(true, false, crs, p, g.k(), 1f, w, 0, dy, (long) n * g.k() * p, 0f, dcols, 0);
            rt.run1d(shape(rt.call("col2im_accumulate").mem(dcols).mem(buf(dx)).i32(n), g), (long) g.c() * g.h() * g.w());
        }
    }

    /** dw += correlation of x with dy (unless null); dbias += sum of dy over (n, oh, ow) (unless null). */
    void backwardWeights(ConvGeometry g, Storage x, Storage dy, Storage dw, Storage dbias) {
        // forward: y[k] = sum_c w[k][c] * x[c]  =>  dw += dy[n] cols(x[n])^T, dbias[k] += sum dy[n][k]
        int crs = g.c() * g.r() * g.s(), p = g.outH() * g.outW();
        if (dw != null && rowKernels()) {
            weightGradByRows(g, x, dy, dw);
        } else if (dw != null) {
            OpenClStorage cols = rt.scratch("cols", (long) crs * p);
            for (int n = 0; n < g.n(); n++) {
                rt.run1d(shape(rt.call("im2col").mem(buf(x)).mem(cols).i32(n), g), (long) crs * p);
                gemm.gemmNt(dy, (long) n * g.k() * p, cols, 0, g.k(), crs, p, 1f, 1f, dw, 0, false);
            }
        }
        if (dbias != null) {
            rt.run1d(rt.call("bias_backward").mem(buf(dy)).mem(buf(dbias)).i32(g.n()).i32(g.k()).i32(p), g.k());
        }
    }

    /**
     * dx += the stride-1 convolution t of {@code in} with g's weights rotated 180 degrees and their
     * channels swapped: the backward to the data of g, as a forward convolution.
     */
    private void forwardWithRotatedWeights(ConvGeometry t, Storage in, ConvGeometry g, Storage w, Storage dx) {
        if (convolvesByRows(t) || convolvesByGemm(t)) {
            OpenClStorage wr = rt.scratch("rotatedWeights", g.weightSize());
            rt.run1d(rt.call("rotate_weights").mem(buf(w)).mem(wr).i32(g.k()).i32(g.c()).i32(g.r()).i32(g.s()), g.weightSize());
            if (convolvesByRows(t)) {
                byRows(t, in, wr, null, dx, true);
            } else {
                byGemm(t, in, wr, null, dx, true);
            }
            return;
        }
        direct(t, in, packWeights(t, w, true), null, dx, true);
    }

    /**
     * The stride-1 convolution that gives g's backward to the data from dy spread out by g's
     * strides: input (n, k, (OH - 1) sh + 1 + ry, (OW - 1) sw + 1 + rx), where ry and rx are the
     * input rows and columns past the last window (they get no gradient: the extra zero rows make
     * the output exactly h x w), padding r - 1 - ph, output dx (n, c, h, w).
     */
    static ConvGeometry dilatedForData(ConvGeometry g) {
        int ry = (g.h() + 2 * g.padH() - g.r()) % g.strideH(), rx = (g.w() + 2 * g.padW() - g.s()) % g.strideW();
        return new ConvGeometry(g.n(), g.k(), (g.outH() - 1) * g.strideH() + 1 + ry, (g.outW() - 1) * g.strideW() + 1 + rx,
                g.c(), g.r(), g.s(), 1, 1, g.r() - 1 - g.padH(), g.s() - 1 - g.padW());
    }

    /** Whether g (forward and backward to the data) goes through {@link ClWinograd}: 3x3, stride 1, enough channels, a CPU device. */
    private boolean byWinograd(ConvGeometry g) {
        return rowKernels() && ClWinograd.suits(g);
    }

    /** Whether this is a CPU tuning, whose convolutions along rows of stride 1 may use conv_rows.cl. */
    private boolean rowKernels() {
        return tuning.localTiles() == 0;
    }

    /** Whether g's forward goes through conv_forward_rows: a CPU device, stride 1 along W, few output channels. */
    private boolean convolvesByRows(ConvGeometry g) {
        return rowKernels() && g.strideW() == 1 && g.k() <= FEW_OUTPUT_CHANNELS;
    }

    /** Whether g goes through the tiled GEMM: only with local-memory tiles, and for small outputs. */
    private boolean convolvesByGemm(ConvGeometry g) {
        return tuning.localTiles() > 0 && (long) g.outH() * g.outW() <= GEMM_CONV_MAX_PIXELS;
    }

    /** The arguments C, H, W, R, S, OH, OW, sh, sw, ph, pw that im2col, im2col_t and col2im take. */
    private static KernelCall shape(KernelCall call, ConvGeometry g) {
        return call.i32(g.c()).i32(g.h()).i32(g.w()).i32(g.r()).i32(g.s()).i32(g.outH()).i32(g.outW())
                .i32(g.strideH()).i32(g.strideW()).i32(g.padH()).i32(g.padW());
    }

    /**
     * Packs w into tiles of KT of g's output channels: w is (g.k, g.c, r, s), or with
     * {@code flip} (g transposed for the data) (g.c, g.k, r, s) rotated 180 degrees.
     */
    private OpenClStorage packWeights(ConvGeometry g, Storage w, boolean flip) {
        int kt = tuning.channelsPerTile();
        long kblocks = (g.k() + kt - 1) / kt, crs = (long) g.c() * g.r() * g.s();
        OpenClStorage wp = rt.scratch("packedWeights", kblocks * kt * crs);
        rt.run(rt.call("pack_weights").mem(buf(w)).mem(wp).i32(g.k()).i32(g.c()).i32(g.r()).i32(g.s()).i32(flip),
                new long[]{crs, kblocks}, new long[]{64, 1});
        return wp;
    }

    /** y (+)= conv(x, packed weights) + bias, one register tile of KT channels x PX pixels per work-item. */
    private void direct(ConvGeometry g, Storage x, OpenClStorage wp, Storage bias, Storage y, boolean accumulate) {
        int kt = tuning.channelsPerTile();
        long kblocks = (g.k() + kt - 1) / kt;
        long cols = tuning.rowLoop() ? 1 : (g.outW() + tuning.px() - 1) / tuning.px();
        OpenClStorage b = bias == null ? wp : buf(bias);
        rt.run(rt.call("conv_forward").mem(buf(x)).mem(wp).mem(b).mem(buf(y))
                        .i32(g.n()).i32(g.c()).i32(g.h()).i32(g.w()).i32(g.k()).i32(g.r()).i32(g.s()).i32(g.outH()).i32(g.outW())
                        .i32(g.strideH()).i32(g.strideW()).i32(g.padH()).i32(g.padW()).i32(accumulate).i32(bias != null),
                new long[]{cols, g.outH(), g.n() * kblocks}, new long[]{tuning.convLocal(), 1, 1});
    }

    /** y (+)= conv(x, w) + bias by conv_forward_rows: ROW_KB channels x 16 ROW_PV pixels of a row per work-item. */
    private void byRows(ConvGeometry g, Storage x, Storage w, Storage bias, Storage y, boolean accumulate) {
        long kblocks = (g.k() + ROW_KB - 1) / ROW_KB, tiles = (g.outW() + 16L * ROW_PV - 1) / (16L * ROW_PV);
        Storage b = bias == null ? w : bias;
        rt.run(shapeRows(rt.call("conv_forward_rows").mem(buf(x)).mem(buf(w)).mem(buf(b)).mem(buf(y)), g)
                        .i32(accumulate).i32(bias != null),
                new long[]{tiles, g.outH(), g.n() * kblocks}, new long[]{1, 1, 1});
    }

    /**
     * dw += the weight gradient by conv_weight_grad_rows: the output rows of all images in bands of
     * about {@link #BAND_PIXELS} pixels, one partial dw per band, then the bands added in order.
     */
    private void weightGradByRows(ConvGeometry g, Storage x, Storage dy, Storage dw) {
        int rows = g.n() * g.outH(), bandRows = Math.max(1, Math.min(rows, BAND_PIXELS / g.outW()));
        int bands = (rows + bandRows - 1) / bandRows;
        long sblocks = (g.s() + ROW_SB - 1) / ROW_SB;
        OpenClStorage partial = rt.scratch("weightGradBands", bands * g.weightSize());
        rt.run(shapeRows(rt.call("conv_weight_grad_rows").mem(buf(x)).mem(buf(dy)).mem(partial), g).i32(bandRows).i32(g.strideW()),
                new long[]{(long) g.c() * g.r() * sblocks, (g.k() + ROW_KB - 1) / ROW_KB, bands}, new long[]{1, 1, 1});
        rt.run1d(rt.call("conv_weight_grad_sum").mem(partial).i32(bands).i32(Math.toIntExact(g.weightSize())).mem(buf(dw)),
                g.weightSize());
    }

    /** The arguments N, C, H, W, K, R, S, OH, OW, sh, ph, pw of the conv_rows.cl kernels. */
    private static KernelCall shapeRows(KernelCall call, ConvGeometry g) {
        return call.i32(g.n()).i32(g.c()).i32(g.h()).i32(g.w()).i32(g.k()).i32(g.r()).i32(g.s()).i32(g.outH()).i32(g.outW())
                .i32(g.strideH()).i32(g.padH()).i32(g.padW());
    }

    /** y[n] (k, oh ow) = wm (k, c r s) colsT(x[n])^T (+ bias), added to y when accumulating. */
    private void byGemm(ConvGeometry g, Storage x, Storage wm, Storage bias, Storage y, boolean accumulate) {
        int crs = g.c() * g.r() * g.s(), p = g.outH() * g.outW();
        OpenClStorage cols = rt.scratch("colsT", (long) p * crs);
        for (int img = 0; img < g.n(); img++) {
            rt.run1d(shape(rt.call("im2col_t").mem(buf(x)).mem(cols).i32(img), g), (long) p * crs);
            gemm.gemmNt(wm, 0, cols, 0, g.k(), p, crs, 1f, accumulate ? 1f : 0f, y, (long) img * g.k() * p, false);
            if (bias != null) {
                rt.run1d(rt.call("add_channel_bias").mem(buf(y)).mem(buf(bias)).i32(img).i32(g.k()).i32(p), (long) g.k() * p);
            }
        }
    }
}
