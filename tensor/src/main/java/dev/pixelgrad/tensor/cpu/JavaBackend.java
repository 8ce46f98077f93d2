package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.AdamKernel;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.ConvGeometry;
import dev.pixelgrad.tensor.PoolGeometry;
import dev.pixelgrad.tensor.ReflectionPadGeometry;
import dev.pixelgrad.tensor.Storage;
import dev.pixelgrad.tensor.WindowGeometry;

/**
 * The pure-Java backend: heap float arrays, every core through the fork-join pool. It needs no
 * native library, so the engine runs wherever a JVM does. Matrix products, convolutions and Gram
 * matrices go through the blocked, vectorised GEMM in {@link Gemm}, except Grams of few channels
 * over many positions, which {@link DotGram} computes as dot products without packing.
 */
public final class JavaBackend implements Backend, AdamKernel {
    private static final JavaBackend INSTANCE = new JavaBackend();

    /** The shared instance (the backend holds no per-user state beyond scratch space). */
    public static JavaBackend get() {
        return INSTANCE;
    }

    private JavaBackend() {
    }

    @Override
    public String name() {
        return "java";
    }

    /**
     * The array of a buffer that the kernel may write, as far as this backend knows: every buffer
     * a kernel touches, except those it reads through {@link #in}. Counting writes lets cached
     * derivations of the values (Winograd's transformed weights) know when to derive again.
     */
    static float[] arr(Storage s) {
        return storage(s).arrayToWrite();
    }

    /** The array of a buffer that the kernel only reads. */
    static float[] in(Storage s) {
        return storage(s).array();
    }

    private static JavaStorage storage(Storage s) {
        if (!(s instanceof JavaStorage js)) {
            throw new IllegalArgumentException("java backend: got a buffer of backend "
                    + (s == null ? "null" : s.backend().name()) + "; move the tensor with tensor.to(backend)");
        }
        return js;
    }

    // ---- memory -----------------------------------------------------------------------------

    @Override
    public Storage allocate(long n) {
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("java backend: cannot allocate " + n + " floats (at most 2^31 per tensor); use a smaller --size");
        }
        try {
            return new JavaStorage(this, new float[(int) n]);
        } catch (OutOfMemoryError e) {
            throw new IllegalStateException("java backend: out of memory allocating a tensor of " + n + " floats ("
                    + (n * 4 >> 20) + " MiB); use a smaller --size or a larger Java heap (-Xmx, through PIXELGRAD_JAVA_OPTS with the pixelgrad launcher)", e);
        }
    }

    @Override
    public Storage upload(float[] data) {
        return new JavaStorage(this, data.clone());
    }

    @Override
    public void download(Storage src, float[] dst) {
        float[] a = in(src);
        System.arraycopy(a, 0, dst, 0, a.length);
    }

    @Override
    public float readScalar(Storage src, long index) {
        return in(src)[(int) index];
    }

    @Override
    public void copy(Storage src, Storage dst, long n) {
        System.arraycopy(in(src), 0, arr(dst), 0, (int) n);
    }

    @Override
    public void fill(Storage y, float value, long n) {
        java.util.Arrays.fill(arr(y), 0, (int) n, value);
    }

    // ---- elementwise ------------------------------------------------------------------------

    @Override
    public void add(Storage a, Storage b, Storage y, long n) {
        Elementwise.add(arr(a), arr(b), arr(y), (int) n);
    }

    @Override
    public void sub(Storage a, Storage b, Storage y, long n) {
        Elementwise.sub(arr(a), arr(b), arr(y), (int) n);
    }

    @Override
    public void mul(Storage a, Storage b, Storage y, long n) {
        Elementwise.mul(arr(a), arr(b), arr(y), (int) n);
    }

    @Override
    public void scale(Storage x, float alpha, Storage y, long n) {
        Elementwise.scale(arr(x), alpha, arr(y), (int) n);
    }

    @Override
    public void axpy(float alpha, Storage x, Storage y, long n) {
        Elementwise.axpy(alpha, arr(x), arr(y), (int) n);
    }

    @Override
    public void axpyScalar(float alpha, Storage s, Storage y, long n) {
        Elementwise.addConstant(alpha * arr(s)[0], arr(y), (int) n);
    }

    @Override
    public void mulAccumulate(Storage dy, Storage b, Storage dx, long n) {
        Elementwise.mulAccumulate(arr(dy), arr(b), arr(dx), (int) n);
    }

    @Override
    public void diffAccumulate(float alpha, Storage s, Storage a, Storage b, Storage dx, long n) {
        Elementwise.diffAccumulate(alpha * arr(s)[0], arr(a), arr(b), arr(dx), (int) n);
    }

    @Override
    public void powForward(Storage x, float p, Storage y, long n) {
        float[] xa = arr(x), ya = arr(y);
        Parallel.forRange((int) n, 20, (from, to) -> {
            for (int i = from; i < to; i++) {
                ya[i] = (float) Math.pow(xa[i], p);
            }
        });
    }

    @Override
    public void powBackward(Storage x, float p, Storage dy, Storage dx, long n) {
        float[] xa = arr(x), dya = arr(dy), dxa = arr(dx);
        Parallel.forRange((int) n, 20, (from, to) -> {
            for (int i = from; i < to; i++) {
                dxa[i] += dya[i] * (p == 2f ? 2f * xa[i] : p * (float) Math.pow(xa[i], p - 1f));
            }
        });
    }

    @Override
    public void reluForward(Storage x, Storage y, long n) {
        Elementwise.relu(arr(x), arr(y), (int) n);
    }

    @Override
    public void reluBackward(Storage y, Storage dy, Storage dx, long n) {
        Elementwise.reluBackward(arr(y), arr(dy), arr(dx), (int) n);
    }

    // ---- reductions -------------------------------------------------------------------------

    @Override
    public void sum(Storage x, long n, Storage out) {
        arr(out)[0] = (float) Reductions.sum(arr(x), (int) n);
    }

    @Override
    public void sumAbs(Storage x, long n, Storage out) {
        arr(out)[0] = (float) Reductions.sumAbs(arr(x), (int) n);
    }

    @Override
    public void sumSquaredDiff(Storage a, Storage b, long n, Storage out) {
        arr(out)[0] = (float) Reductions.sumSquaredDiff(arr(a), arr(b), (int) n);
    }

    @Override
    public void dot(Storage a, Storage b, long n, Storage out) {
        arr(out)[0] = (float) Reductions.dot(arr(a), arr(b), (int) n);
    }

    @Override
    public long countNonFinite(Storage x, long n) {
        float[] a = in(x);
        long bad = 0;
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(a[i])) {
                bad++;
            }
        }
        return bad;
    }

    // ---- matrices ---------------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     Storage a, long offA, Storage b, long offB, float beta, Storage c, long offC) {
        Gemm.sgemm(transA, transB, m, n, k, alpha, arr(a), (int) offA, arr(b), (int) offB, beta, arr(c), (int) offC);
    }

    @Override
    public void gram(Storage f, long offF, int c, int m, float alpha, Storage g, long offG) {
        Gemm.gram(arr(f), (int) offF, c, m, alpha, arr(g), (int) offG);
    }

    // ---- convolution ------------------------------------------------------------------------

    @Override
    public void conv2dForward(ConvGeometry g, Storage x, Storage w, Storage bias, Storage y) {
        Convolution.forward(g, in(x), in(w), storage(w).writes(), bias == null ? null : in(bias), arr(y));
    }

    @Override
    public void conv2dBackwardData(ConvGeometry g, Storage dy, Storage w, Storage dx) {
        Convolution.backwardData(g, in(dy), in(w), storage(w).writes(), arr(dx));
    }

    @Override
    public void conv2dBackwardWeights(ConvGeometry g, Storage x, Storage dy, Storage dw, Storage dbias) {
        Convolution.backwardWeights(g, in(x), in(dy), dw == null ? null : arr(dw), dbias == null ? null : arr(dbias));
    }

    // ---- pooling ----------------------------------------------------------------------------

    @Override
    public void maxPool2dForward(PoolGeometry g, Storage x, Storage y) {
        Pooling.maxForward(g, arr(x), arr(y));
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, Storage x, Storage dy, Storage dx) {
        Pooling.maxBackward(g, arr(x), arr(dy), arr(dx));
    }

    @Override
    public void avgPool2dForward(PoolGeometry g, Storage x, Storage y) {
        Pooling.avgForward(g, arr(x), arr(y));
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, Storage dy, Storage dx) {
        Pooling.avgBackward(g, arr(dy), arr(dx));
    }

    // ---- total variation --------------------------------------------------------------------

    @Override
    public void totalVariationForward(Storage x, int n, int c, int h, int w, float beta, float eps, Storage out) {
        arr(out)[0] = (float) ImageOps.totalVariation(arr(x), n * c, h, w, beta, eps);
    }

    @Override
    public void totalVariationBackward(Storage x, int n, int c, int h, int w, float beta, float eps, Storage s, Storage dx) {
        ImageOps.totalVariationBackward(arr(x), n * c, h, w, beta, eps, arr(s)[0], arr(dx));
    }

    // ---- instance normalisation --------------------------------------------------------------

    @Override
    public void instanceNormForward(int n, int c, int hw, float eps, Storage x, Storage gamma, Storage beta,
                                    Storage y, Storage mean, Storage invStd) {
        InstanceNormalisation.forward(n, c, hw, eps, arr(x), arr(gamma), arr(beta), arr(y), arr(mean), arr(invStd));
    }

    @Override
    public void instanceNormBackward(int n, int c, int hw, Storage x, Storage gamma, Storage mean, Storage invStd,
                                     Storage dy, Storage dx, Storage dgamma, Storage dbeta) {
        InstanceNormalisation.backward(n, c, hw, arr(x), arr(gamma), arr(mean), arr(invStd), arr(dy),
                dx == null ? null : arr(dx), dgamma == null ? null : arr(dgamma), dbeta == null ? null : arr(dbeta));
    }

    // ---- windows and per-channel bounds ------------------------------------------------------

    @Override
    public void windowForward(WindowGeometry g, Storage x, Storage y) {
        ImageOps.window(g, arr(x), arr(y), false);
    }

    @Override
    public void windowBackward(WindowGeometry g, Storage dy, Storage dx) {
        ImageOps.window(g, arr(dx), arr(dy), true);
    }

    @Override
    public void clampChannels(Storage x, Storage lo, Storage hi, int n, int c, int hw, Storage y) {
        ImageOps.clampChannels(arr(x), n, c, hw, arr(lo), arr(hi), arr(y));
    }

    // ---- reflection padding and nearest upsampling -----------------------------------------

    @Override
    public void reflectionPadForward(ReflectionPadGeometry g, Storage x, Storage y) {
        ReflectionPadding.forward(g, arr(x), arr(y));
    }

    @Override
    public void reflectionPadBackward(ReflectionPadGeometry g, Storage dy, Storage dx) {
        ReflectionPadding.backward(g, arr(dy), arr(dx));
    }

    @Override
    public void upsampleNearestForward(int planes, int h, int w, int factor, Storage x, Storage y) {
        NearestUpsampling.forward(planes, h, w, factor, arr(x), arr(y));
    }

    @Override
    public void upsampleNearestBackward(int planes, int h, int w, int factor, Storage dy, Storage dx) {
        NearestUpsampling.backward(planes, h, w, factor, arr(dy), arr(dx));
    }

    // ---- optional capability: fused Adam ----------------------------------------------------

    @Override
    public void adamUpdate(Storage p, Storage g, Storage m, Storage v, long n,
                           float lr, float beta1, float beta2, float eps, int t) {
        float[] pa = arr(p), ga = arr(g), ma = arr(m), va = arr(v);
        float c1 = 1f - (float) Math.pow(beta1, t), c2 = 1f - (float) Math.pow(beta2, t);
        Parallel.forRange((int) n, 20, (from, to) -> {
            for (int i = from; i < to; i++) {
                ma[i] = beta1 * ma[i] + (1f - beta1) * ga[i];
                va[i] = beta2 * va[i] + (1f - beta2) * ga[i] * ga[i];
                pa[i] -= lr * (ma[i] / c1) / ((float) Math.sqrt(va[i] / c2) + eps);
            }
        });
    }
}
