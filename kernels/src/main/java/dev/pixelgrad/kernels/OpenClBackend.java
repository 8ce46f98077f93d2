package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.AdamKernel;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.ConvGeometry;
import dev.pixelgrad.tensor.DeviceMemory;
import dev.pixelgrad.tensor.PoolGeometry;
import dev.pixelgrad.tensor.ReflectionPadGeometry;
import dev.pixelgrad.tensor.Storage;
import dev.pixelgrad.tensor.WindowGeometry;

import static dev.pixelgrad.kernels.ClRuntime.buf;
import static dev.pixelgrad.kernels.ClRuntime.n32;

/**
 * The OpenCL backend: every {@link Backend} kernel runs on one device, and tensors stay in device
 * buffers ({@link OpenClStorage}); the host sees data only through upload, download and
 * readScalar, which {@link #transfers()} counts.
 *
 * <p>An adapter only: elementwise and pooling kernels are one launch each, written here; the
 * rest is delegated to {@link ClRuntime} (buffers, transfers), {@link ClReductions},
 * {@link ClGemm}, {@link ClConvolution} and {@link ClImageKernels}.
 *
 * <p>Not thread-safe beyond what tensors need: one optimisation loop drives one backend.
 */
public final class OpenClBackend implements Backend, AdamKernel, DeviceMemory {
    private final ClRuntime rt;
    private final ClReductions reductions;
    private final ClGemm gemm;
    private final ClConvolution conv;
    private final ClImageKernels image;
    private final ClPooling pooling;

    /** Builds the programs of {@code device} with {@code tuning} (or loads them from the cache). */
    OpenClBackend(DeviceInfo device, Tuning tuning) {
        this(device, tuning, ClImageKernels.Shapes.forDevice(device));
    }

    /** As above with the image kernels' launch shapes given, so tests can run the GPU ones on a CPU. */
    OpenClBackend(DeviceInfo device, Tuning tuning, ClImageKernels.Shapes imageShapes) {
        this.rt = new ClRuntime(device, tuning, imageShapes, this);
        this.reductions = new ClReductions(rt);
        this.gemm = new ClGemm(rt);
        this.conv = new ClConvolution(rt, gemm);
        this.image = new ClImageKernels(rt);
        this.pooling = new ClPooling(rt);
    }

    @Override
    public String name() {
        return rt.device().spec() + " (" + rt.device().name() + ")";
    }

    /** Counts of host-device transfers since start (or the last reset). */
    public TransferCounter transfers() {
        return rt.transfers();
    }

    /** The tile sizes this backend's convolution and GEMM kernels were built with. */
    public Tuning tuning() {
        return rt.tuning();
    }

    DeviceInfo device() {
        return rt.device();
    }

    @Override
    public long memoryBytes() {
        return rt.device().globalMemBytes();
    }

    @Override
    public long maxBufferBytes() {
        return rt.device().maxAllocBytes();
    }

    @Override
    public long peakBytes() {
        return rt.peakBufferBytes();
    }

    ClRuntime runtime() {
        return rt;
    }

    /**
     * Frees the device buffers this backend keeps for itself, its kernels, programs, queue and
     * context. Tensors still alive on it become unusable. Only for backends made apart from the
     * provider's shared one.
     */
    public synchronized void close() {
        rt.close();
    }

    // ---- memory -----------------------------------------------------------------------------

    @Override
    public Storage allocate(long n) {
        return rt.allocate(n);
    }

    @Override
    public Storage upload(float[] data) {
        return rt.upload(data);
    }

    @Override
    public void download(Storage src, float[] dst) {
        rt.download(src, dst);
    }

    @Override
    public float readScalar(Storage src, long index) {
        return rt.readScalar(src, index);
    }

    @Override
    public void copy(Storage src, Storage dst, long n) {
        rt.copy(src, dst, n);
    }

    @Override
    public void fill(Storage y, float value, long n) {
        rt.fill(y, value, n);
    }

    @Override
    public void finish() {
        rt.finish();
    }

    // ---- elementwise: one work-item per element ---------------------------------------------

    private void binary(String kernel, Storage a, Storage b, Storage y, long n) {
        rt.run1d(rt.call(kernel).mem(buf(a)).mem(buf(b)).mem(buf(y)).i32(n32(n, kernel)), n);
    }

    @Override
    public void add(Storage a, Storage b, Storage y, long n) {
        binary("add", a, b, y, n);
    }

    @Override
    public void sub(Storage a, Storage b, Storage y, long n) {
        binary("sub", a, b, y, n);
    }

    @Override
    public void mul(Storage a, Storage b, Storage y, long n) {
        binary("mul", a, b, y, n);
    }

    @Override
    public void scale(Storage x, float alpha, Storage y, long n) {
        rt.run1d(rt.call("scale").mem(buf(x)).f32(alpha).mem(buf(y)).i32(n), n);
    }

    @Override
    public void axpy(float alpha, Storage x, Storage y, long n) {
        rt.run1d(rt.call("axpy").f32(alpha).mem(buf(x)).mem(buf(y)).i32(n), n);
    }

    @Override
    public void axpyScalar(float alpha, Storage s, Storage y, long n) {
        rt.run1d(rt.call("axpy_scalar").f32(alpha).mem(buf(s)).mem(buf(y)).i32(n), n);
    }

    @Override
    public void mulAccumulate(Storage dy, Storage b, Storage dx, long n) {
        binary("mul_accumulate", dy, b, dx, n);
    }

    @Override
    public void diffAccumulate(float alpha, Storage s, Storage a, Storage b, Storage dx, long n) {
        rt.run1d(rt.call("diff_accumulate").f32(alpha).mem(buf(s)).mem(buf(a)).mem(buf(b)).mem(buf(dx)).i32(n), n);
    }

    @Override
    public void powForward(Storage x, float p, Storage y, long n) {
        rt.run1d(rt.call("pow_forward").mem(buf(x)).f32(p).mem(buf(y)).i32(n), n);
    }

    @Override
    public void powBackward(Storage x, float p, Storage dy, Storage dx, long n) {
        rt.run1d(rt.call("pow_backward").mem(buf(x)).f32(p).mem(buf(dy)).mem(buf(dx)).i32(n), n);
    }

    @Override
    public void reluForward(Storage x, Storage y, long n) {
        rt.run1d(rt.call("relu_forward").mem(buf(x)).mem(buf(y)).i32(n), n);
    }

    @Override
    public void reluBackward(Storage y, Storage dy, Storage dx, long n) {
        binary("relu_backward", y, dy, dx, n);
    }

    // ---- reductions -------------------------------------------------------------------------

    @Override
    public void sum(Storage x, long n, Storage out) {
        reductions.sum(x, n, out);
    }

    @Override
    public void sumAbs(Storage x, long n, Storage out) {
        reductions.sumAbs(x, n, out);
    }

    @Override
    public void sumSquaredDiff(Storage a, Storage b, long n, Storage out) {
        reductions.sumSquaredDiff(a, b, n, out);
    }

    @Override
    public void dot(Storage a, Storage b, long n, Storage out) {
        reductions.dot(a, b, n, out);
    }

    @Override
    public long countNonFinite(Storage x, long n) {
        return reductions.countNonFinite(x, n);
    }

    // ---- matrices ---------------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     Storage a, long offA, Storage b, long offB, float beta, Storage c, long offC) {
        if (widensAsConvolution(transB, n, beta, offB, offC, c, m)) {
            asConvolution(transA, m, n, k, alpha, a, offA, b, beta, c);
            return;
        }
        gemm.gemm(transA, transB, m, n, k, alpha, a, offA, b, offB, beta, c, offC);
    }

    /** Columns from which a wide product with B untransposed goes through {@link #asConvolution} on CPUs. */
    static final int WIDE_PRODUCT = 1024;

    /**
     * Whether C (m, n) (+)= alpha op(A) B is a wide product that a CPU device computes faster as a
     * 1x1 convolution: B (k, n) is then read along its rows as it lies, where the dot-form GEMM
     * first transposes all of it (a Gram's backward at 64 channels of 512² took 102 ms on POCL
     * that way, against 31 ms on the Java backend). Only whole buffers (offsets 0, C holding just
     * the product) and beta 0 or 1, which the convolution's accumulate gives.
     */
    private boolean widensAsConvolution(boolean transB, int n, float beta, long offB, long offC, Storage c, int m) {
        return rt.tuning().localTiles() == 0 && !transB && n >= WIDE_PRODUCT && (beta == 0f || beta == 1f)
                && offB == 0 && offC == 0 && c.size() == (long) m * n;
    }

    /**
     * C (+)= alpha op(A) B as the backward to the data of a 1x1 convolution: dx (m channels of n
     * pixels) += w^T dy with dy = B (k channels) and w (k, m) = alpha op(A)^T.
     */
    private void asConvolution(boolean transA, int m, int n, int k, float alpha, Storage a, long offA, Storage b,
                               float beta, Storage c) {
        OpenClStorage w = rt.scratch("productWeights", (long) k * m);
        rt.run1d(rt.call("left_as_weights").in(buf(a)).i32(Math.toIntExact(offA)).i32(m).i32(k).i32(transA ? 1 : 0)
                .f32(alpha).mem(w), (long) m * k);
        if (beta == 0f) {
            rt.fill(c, 0f, (long) m * n);
        }
        conv.backwardData(new ConvGeometry(1, m, 1, n, k, 1, 1, 1, 1, 0, 0), b, w, c);
    }

    @Override
    public void gram(Storage f, long offF, int c, int m, float alpha, Storage g, long offG) {
        gemm.gram(f, offF, c, m, alpha, g, offG);
    }

    // ---- convolution ------------------------------------------------------------------------

    @Override
    public void conv2dForward(ConvGeometry g, Storage x, Storage w, Storage bias, Storage y) {
        conv.forward(g, x, w, bias, y);
    }

    @Override
    public void conv2dBackwardData(ConvGeometry g, Storage dy, Storage w, Storage dx) {
        conv.backwardData(g, dy, w, dx);
    }

    @Override
    public void conv2dBackwardWeights(ConvGeometry g, Storage x, Storage dy, Storage dw, Storage dbias) {
        conv.backwardWeights(g, x, dy, dw, dbias);
    }

    // ---- pooling ----------------------------------------------------------------------------

    @Override
    public void maxPool2dForward(PoolGeometry g, Storage x, Storage y) {
        pooling.maxForward(g, x, y);
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, Storage x, Storage dy, Storage dx) {
        pooling.maxBackward(g, x, dy, dx);
    }

    @Override
    public void avgPool2dForward(PoolGeometry g, Storage x, Storage y) {
        pooling.avgForward(g, x, y);
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, Storage dy, Storage dx) {
        pooling.avgBackward(g, dy, dx);
    }

    // ---- total variation --------------------------------------------------------------------

    @Override
    public void totalVariationForward(Storage x, int n, int c, int h, int w, float beta, float eps, Storage out) {
        reductions.totalVariation(x, n, c, h, w, beta, eps, out);
    }

    @Override
    public void totalVariationBackward(Storage x, int n, int c, int h, int w, float beta, float eps, Storage s, Storage dx) {
        long total = (long) n * c * h * w;
        rt.run1d(rt.call("tv_backward").mem(buf(x)).i32(n32(total, "tv")).i32(h).i32(w).f32(beta).f32(eps)
                .mem(buf(s)).mem(buf(dx)), total);
    }

    // ---- instance normalisation --------------------------------------------------------------

    @Override
    public void instanceNormForward(int n, int c, int hw, float eps, Storage x, Storage gamma, Storage beta,
                                    Storage y, Storage mean, Storage invStd) {
        image.instanceNormForward(n, c, hw, eps, x, gamma, beta, y, mean, invStd);
    }

    @Override
    public void instanceNormBackward(int n, int c, int hw, Storage x, Storage gamma, Storage mean, Storage invStd,
                                     Storage dy, Storage dx, Storage dgamma, Storage dbeta) {
        image.instanceNormBackward(n, c, hw, x, gamma, mean, invStd, dy, dx, dgamma, dbeta);
    }

    // ---- windows and per-channel bounds ------------------------------------------------------

    @Override
    public void windowForward(WindowGeometry g, Storage x, Storage y) {
        image.window(g, x, y, false);
    }

    @Override
    public void windowBackward(WindowGeometry g, Storage dy, Storage dx) {
        image.window(g, dy, dx, true);
    }

    @Override
    public void clampChannels(Storage x, Storage lo, Storage hi, int n, int c, int hw, Storage y) {
        image.clampChannels(x, lo, hi, n, c, hw, y);
    }

    // ---- reflection padding and nearest upsampling -----------------------------------------

    @Override
    public void reflectionPadForward(ReflectionPadGeometry g, Storage x, Storage y) {
        image.reflectionPadForward(g, x, y);
    }

    @Override
    public void reflectionPadBackward(ReflectionPadGeometry g, Storage dy, Storage dx) {
        image.reflectionPadBackward(g, dy, dx);
    }

    @Override
    public void upsampleNearestForward(int planes, int h, int w, int factor, Storage x, Storage y) {
        image.upsampleNearest(planes, h, w, factor, x, y, false);
    }

    @Override
    public void upsampleNearestBackward(int planes, int h, int w, int factor, Storage dy, Storage dx) {
        image.upsampleNearest(planes, h, w, factor, dy, dx, true);
    }

    // ---- optional capability: fused Adam ----------------------------------------------------

    @Override
    public void adamUpdate(Storage p, Storage g, Storage m, Storage v, long n,
                           float lr, float beta1, float beta2, float eps, int t) {
        image.adamUpdate(p, g, m, v, n, lr, beta1, beta2, eps, t);
    }
}
