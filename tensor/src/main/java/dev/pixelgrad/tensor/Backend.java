package dev.pixelgrad.tensor;

/**
 * What a device must provide: the numeric kernels below, and nothing else. Kernels see flat float
 * buffers and explicit sizes only; shapes, checks and meaning live in the ops
 * ({@code dev.pixelgrad.tensor.ops}), so every backend computes exactly the same thing, and a new
 * backend is this list of kernels (see {@code tensor/README.md} for the table and the test suites
 * a backend joins).
 *
 * <p>Conventions: all buffers are float32, NCHW, contiguous. A kernel named {@code ...Backward}
 * or {@code ...Accumulate} <em>accumulates</em> ({@code +=}) into its gradient buffers. A "scalar
 * buffer" is a buffer of one element that stays on the device; reductions write into one so that
 * an optimisation loop need not synchronise with the host.
 *
 * <p>Optional capabilities (fused kernels an engine can do without, such as {@link AdamKernel})
 * are separate interfaces a backend may also implement.
 */
public interface Backend {

    /** A short name such as {@code java} or {@code opencl:0:1 (device name)}. */
    String name();

    // ---- memory -----------------------------------------------------------------------------

    /** A new zero-filled buffer of {@code n} floats. */
    Storage allocate(long n);

    /** A new buffer holding a copy of {@code data}. */
    Storage upload(float[] data);

    /** Copies the whole buffer into {@code dst} (of at least {@code src.size()} floats). */
    void download(Storage src, float[] dst);

    /** Reads element {@code index}; used for losses and other scalars. */
    float readScalar(Storage src, long index);

    /** dst[0:n] = src[0:n]. */
    void copy(Storage src, Storage dst, long n);

    /** y[0:n] = value. */
    void fill(Storage y, float value, long n);

    // ---- elementwise (y may be the same buffer as an input) ---------------------------------

    /** y = a + b. */
    void add(Storage a, Storage b, Storage y, long n);

    /** y = a - b. */
    void sub(Storage a, Storage b, Storage y, long n);

    /** y = a * b. */
    void mul(Storage a, Storage b, Storage y, long n);

    /** y = alpha * x. */
    void scale(Storage x, float alpha, Storage y, long n);

    /** y += alpha * x. */
    void axpy(float alpha, Storage x, Storage y, long n);

    /** y += alpha * s[0] for a scalar buffer s (broadcast of a scalar gradient). */
    void axpyScalar(float alpha, Storage s, Storage y, long n);

    /** dx += dy * b (the backward of a product). */
    void mulAccumulate(Storage dy, Storage b, Storage dx, long n);

    /** dx += alpha * s[0] * (a - b) for a scalar buffer s (the backward of a squared difference). */
    void diffAccumulate(float alpha, Storage s, Storage a, Storage b, Storage dx, long n);

    /** y = x^p (for non-integral p, x must be positive). */
    void powForward(Storage x, float p, Storage y, long n);

    /** dx += dy * p * x^(p-1). */
    void powBackward(Storage x, float p, Storage dy, Storage dx, long n);

    /** y = max(x, 0). */
    void reluForward(Storage x, Storage y, long n);

    /** dx += dy * [y > 0]. */
    void reluBackward(Storage y, Storage dy, Storage dx, long n);

    // ---- reductions into a scalar buffer ----------------------------------------------------

    /** out[0] = sum_i x_i. */
    void sum(Storage x, long n, Storage out);

    /** out[0] = sum_i |x_i|. */
    void sumAbs(Storage x, long n, Storage out);

    /** out[0] = sum_i (a_i - b_i)^2. */
    void sumSquaredDiff(Storage a, Storage b, long n, Storage out);

    /** out[0] = sum_i a_i b_i. */
    void dot(Storage a, Storage b, long n, Storage out);

    /** How many of x[0:n] are NaN or infinite (read back: it guards backward). */
    long countNonFinite(Storage x, long n);

    // ---- matrices (row-major, packed: leading dimension = number of columns) ----------------

    /**
     * C = alpha op(A) op(B) + beta C, with op(A) of m x k and op(B) of k x n; op transposes
     * when the flag is set. Offsets are in floats. With beta = 0, C is overwritten without being
     * read (as BLAS), so whatever C held before, NaN included, does not reach the result.
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
              Storage a, long offA, Storage b, long offB, float beta, Storage c, long offC);

    /** G = alpha F F^T for F of c x m rows at offset offF, G of c x c (overwritten). */
    void gram(Storage f, long offF, int c, int m, float alpha, Storage g, long offG);

    // ---- convolution: x (n,c,h,w), w (k,c,r,s), y (n,k,outH,outW) ---------------------------

    /** y = conv(x, w) + bias (bias may be null); y is overwritten. */
    void conv2dForward(ConvGeometry g, Storage x, Storage w, Storage bias, Storage y);

    /** dx += conv_transpose(dy, w). */
    void conv2dBackwardData(ConvGeometry g, Storage dy, Storage w, Storage dx);

    /**
     * dw += correlation of x with dy; dbias += sum of dy over (n, outH, outW). Either may be null
     * (a frozen weight with a trained bias, or no bias), and is then not computed.
     */
    void conv2dBackwardWeights(ConvGeometry g, Storage x, Storage dy, Storage dw, Storage dbias);

    // ---- pooling ----------------------------------------------------------------------------

    /** y = max over each window (padding counts as -inf; the first NaN of a window wins, as PyTorch). */
    void maxPool2dForward(PoolGeometry g, Storage x, Storage y);

    /** dx += dy routed to the first maximum of each window (as PyTorch). */
    void maxPool2dBackward(PoolGeometry g, Storage x, Storage dy, Storage dx);

    /** y = mean over each window, padding included in the count. */
    void avgPool2dForward(PoolGeometry g, Storage x, Storage y);

    /** dx += dy / (kernelH kernelW) spread over each window. */
    void avgPool2dBackward(PoolGeometry g, Storage dy, Storage dx);

    // ---- total variation over x (n, c, h, w) ------------------------------------------------

    /**
     * out[0] = sum_{n,c,i<h-1,j<w-1} (d_right^2 + d_down^2 + eps)^(beta/2), with
     * d_right = x[i][j+1] - x[i][j], d_down = x[i+1][j] - x[i][j].
     */
    void totalVariationForward(Storage x, int n, int c, int h, int w, float beta, float eps, Storage out);

    /** dx += s[0] * d(out)/dx for the scalar upstream gradient buffer s. */
    void totalVariationBackward(Storage x, int n, int c, int h, int w, float beta, float eps,
                                Storage s, Storage dx);

    // ---- instance normalisation over x (n, c, hw): one plane p = (n, c) of hw pixels each ------

    /**
     * Per plane p = (n, c): mu_p = mean of its hw pixels, var_p = the biased variance (divided by
     * hw), and y = gamma[c] (x - mu_p) invStd_p + beta[c] with invStd_p = 1 / sqrt(var_p + eps).
     * Writes y and the statistics mean[p] = mu_p and invStd[p] (buffers of n c floats, kept for
     * backward). Inputs may have large means (images in 0-255), so the variance must come from the
     * deviations, never from E[x^2] - E[x]^2.
     */
    void instanceNormForward(int n, int c, int hw, float eps, Storage x, Storage gamma, Storage beta,
                             Storage y, Storage mean, Storage invStd);

    /**
     * With xhat = (x - mu_p) invStd[p] and means over the hw pixels of each plane:
     * dx += gamma[c] invStd[p] (dy - mean(dy) - xhat mean(dy xhat)),
     * dgamma[c] += sum_{n, pixels} dy xhat, dbeta[c] += sum_{n, pixels} dy.
     * Here mu_p = mean[p] + mean(x - mean[p]): the saved mean with its float rounding recovered
     * from the plane, which keeps xhat exact where the mean is large next to the spread (a plane
     * at 1000 +- 1 would otherwise shift xhat by an ulp of 1000 times invStd).
     * Each of dx, dgamma, dbeta may be null (not needed), and is then not computed.
     */
    void instanceNormBackward(int n, int c, int hw, Storage x, Storage gamma, Storage mean, Storage invStd,
                              Storage dy, Storage dx, Storage dgamma, Storage dbeta);

    // ---- windows and per-channel bounds ------------------------------------------------------

    /** y (planes, windowH, windowW) = the window of x (planes, h, w), wrapping around (crop, roll). */
    void windowForward(WindowGeometry g, Storage x, Storage y);

    /** dx at the window's pixels += dy (the scatter-add that undoes {@link #windowForward}). */
    void windowBackward(WindowGeometry g, Storage dy, Storage dx);

    /**
     * y = min(max(x, lo[ch]), hi[ch]) over x (n, c, hw), with the bounds in buffers of c floats;
     * y may be x.
     */
    void clampChannels(Storage x, Storage lo, Storage hi, int n, int c, int hw, Storage y);

    // ---- reflection padding and nearest upsampling over planes (fast style transfer) --------

    /** y (planes, outH, outW) = x (planes, h, w) padded with its mirror image; y is overwritten. */
    void reflectionPadForward(ReflectionPadGeometry g, Storage x, Storage y);

    /** dx += the sum of dy over every output pixel that copies each input pixel (up to 3 x 3 of them). */
    void reflectionPadBackward(ReflectionPadGeometry g, Storage dy, Storage dx);

    /** y[p][i][j] = x[p][i / factor][j / factor] for y (planes, h factor, w factor); y is overwritten. */
    void upsampleNearestForward(int planes, int h, int w, int factor, Storage x, Storage y);

    /** dx[p][i][j] += the sum of dy over the factor x factor block that copies x[p][i][j]. */
    void upsampleNearestBackward(int planes, int h, int w, int factor, Storage dy, Storage dx);

    /** Waits for queued work to finish (a no-op on synchronous backends). */
    default void finish() {
    }
}
