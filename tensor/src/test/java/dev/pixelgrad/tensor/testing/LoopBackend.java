package dev.pixelgrad.tensor.testing;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Storage;

/**
 * A second backend in plain single-threaded loops, written from the Javadoc of each
 * {@link Backend} kernel: the evidence that the interface is all a new device needs. No threads,
 * no vectors, no packing; long sums (reductions, GEMM, Gram, convolution) run in double. This
 * file holds memory, elementwise kernels, reductions and matrices; the image kernels (convolution,
 * pooling, total variation, instance normalisation, windows, clamping, reflection padding,
 * nearest upsampling) are in
 * {@link LoopImageKernels}. It leaves out the optional {@code AdamKernel} on purpose, so the
 * engine's composed Adam is what runs on it.
 */
// vectors: n floats from index 0   matrices: row-major, packed (leading dimension = columns)
public final class LoopBackend extends LoopImageKernels {

    @Override
    public String name() {
        return "loop";
    }

    // ---- memory -----------------------------------------------------------------------------

    @Override
    public Storage allocate(long n) {
        return new HostStorage(this, new float[Math.toIntExact(n)]);
    }

    @Override
    public Storage upload(float[] data) {
        return new HostStorage(this, data.clone());
    }

    @Override
    public void download(Storage src, float[] dst) {
        copyFloats(host(src), dst, src.size());
    }

    @Override
    public float readScalar(Storage src, long index) {
        return host(src)[Math.toIntExact(index)];
    }

    @Override
    public void copy(Storage src, Storage dst, long n) {
        copyFloats(host(src), host(dst), n);
    }

    private static void copyFloats(float[] src, float[] dst, long n) {
        for (int i = 0; i < n; i++) {
            dst[i] = src[i];
        }
    }

    @Override
    public void fill(Storage y, float value, long n) {
        float[] yv = host(y);
        for (int i = 0; i < n; i++) {
            yv[i] = value;
        }
    }

    // ---- elementwise: one formula per element, y may alias an input ---------------------------

    @Override
    public void add(Storage a, Storage b, Storage y, long n) { // y = a + b
        float[] av = host(a), bv = host(b), yv = host(y);
        for (int i = 0; i < n; i++) {
            yv[i] = av[i] + bv[i];
        }
    }

    @Override
    public void sub(Storage a, Storage b, Storage y, long n) { // y = a - b
        float[] av = host(a), bv = host(b), yv = host(y);
        for (int i = 0; i < n; i++) {
            yv[i] = av[i] - bv[i];
        }
    }

    @Override
    public void mul(Storage a, Storage b, Storage y, long n) { // y = a * b
        float[] av = host(a), bv = host(b), yv = host(y);
        for (int i = 0; i < n; i++) {
            yv[i] = av[i] * bv[i];
        }
    }

    @Override
    public void scale(Storage x, float alpha, Storage y, long n) { // y = alpha x
        float[] xv = host(x), yv = host(y);
        for (int i = 0; i < n; i++) {
            yv[i] = alpha * xv[i];
        }
    }

    @Override
    public void axpy(float alpha, Storage x, Storage y, long n) { // y += alpha x
        float[] xv = host(x), yv = host(y);
        for (int i = 0; i < n; i++) {
            yv[i] += alpha * xv[i];
        }
    }

    @Override
    public void axpyScalar(float alpha, Storage s, Storage y, long n) { // y += alpha s[0]
        float[] yv = host(y);
        float d = alpha * host(s)[0];
        for (int i = 0; i < n; i++) {
            yv[i] += d;
        }
    }

    @Override
    public void mulAccumulate(Storage dy, Storage b, Storage dx, long n) { // dx += dy b
        float[] dyv = host(dy), bv = host(b), dxv = host(dx);
        for (int i = 0; i < n; i++) {
            dxv[i] += dyv[i] * bv[i];
        }
    }

    @Override
    public void diffAccumulate(float alpha, Storage s, Storage a, Storage b, Storage dx, long n) { // dx += alpha s[0] (a - b)
        float[] av = host(a), bv = host(b), dxv = host(dx);
        float f = alpha * host(s)[0];
        for (int i = 0; i < n; i++) {
            dxv[i] += f * (av[i] - bv[i]);
        }
    }

    @Override
    public void powForward(Storage x, float p, Storage y, long n) { // y = x^p
        float[] xv = host(x), yv = host(y);
        for (int i = 0; i < n; i++) {
            yv[i] = (float) Math.pow(xv[i], p);
        }
    }

    @Override
    public void powBackward(Storage x, float p, Storage dy, Storage dx, long n) { // dx += dy p x^(p-1)
        float[] xv = host(x), dyv = host(dy), dxv = host(dx);
        for (int i = 0; i < n; i++) {
            dxv[i] += (float) (dyv[i] * p * Math.pow(xv[i], p - 1.0));
        }
    }

    @Override
    public void reluForward(Storage x, Storage y, long n) { // y = max(x, 0)
        float[] xv = host(x), yv = host(y);
        for (int i = 0; i < n; i++) {
            yv[i] = Math.max(xv[i], 0f);
        }
    }

    @Override
    public void reluBackward(Storage y, Storage dy, Storage dx, long n) { // dx += dy [y > 0]
        float[] yv = host(y), dyv = host(dy), dxv = host(dx);
        for (int i = 0; i < n; i++) {
            if (yv[i] > 0) {
                dxv[i] += dyv[i];
            }
        }
    }

    // ---- reductions into out[0], summed in double --------------------------------------------

    @Override
    public void sum(Storage x, long n, Storage out) { // sum_i x_i
        float[] xv = host(x);
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += xv[i];
        }
        host(out)[0] = (float) total;
    }

    @Override
    public void sumAbs(Storage x, long n, Storage out) { // sum_i |x_i|
        float[] xv = host(x);
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += Math.abs(xv[i]);
        }
        host(out)[0] = (float) total;
    }

    @Override
    public void sumSquaredDiff(Storage a, Storage b, long n, Storage out) { // sum_i (a_i - b_i)^2
        float[] av = host(a), bv = host(b);
        double total = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) av[i] - bv[i];
            total += d * d;
        }
        host(out)[0] = (float) total;
    }

    @Override
    public void dot(Storage a, Storage b, long n, Storage out) { // sum_i a_i b_i
        float[] av = host(a), bv = host(b);
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += (double) av[i] * bv[i];
        }
        host(out)[0] = (float) total;
    }

    @Override
    public long countNonFinite(Storage x, long n) { // #{i : x_i is NaN or +-inf}
        float[] xv = host(x);
        long count = 0;
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(xv[i])) {
                count++;
            }
        }
        return count;
    }

    // ---- matrices ---------------------------------------------------------------------------

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     Storage a, long offA, Storage b, long offB, float beta, Storage c, long offC) {
        // C[i][j] = alpha sum_p op(A)[i][p] op(B)[p][j] + beta C[i][j];  A stored m x k (k x m if transA)
        float[] av = host(a), bv = host(b), cv = host(c);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    float aip = av[(int) offA + (transA ? p * m + i : i * k + p)];
                    float bpj = bv[(int) offB + (transB ? j * k + p : p * n + j)];
                    acc += (double) aip * bpj;
                }
                int ij = (int) offC + i * n + j;
                // beta = 0 overwrites C without reading it, as BLAS: a NaN left in C does not survive
                cv[ij] = (float) (alpha * acc + (beta == 0 ? 0 : beta * cv[ij]));
            }
        }
    }

    @Override
    public void gram(Storage f, long offF, int c, int m, float alpha, Storage g, long offG) {
        // G[i][j] = alpha sum_p F[i][p] F[j][p]
        float[] fv = host(f), gv = host(g);
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < c; j++) {
                double acc = 0;
                for (int p = 0; p < m; p++) {
                    acc += (double) fv[(int) offF + i * m + p] * fv[(int) offF + j * m + p];
                }
                gv[(int) offG + i * c + j] = (float) (alpha * acc);
            }
        }
    }
}
