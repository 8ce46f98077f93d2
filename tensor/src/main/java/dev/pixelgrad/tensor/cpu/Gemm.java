package dev.pixelgrad.tensor.cpu;

/**
 * Single-precision matrix multiply on heap arrays, row-major and packed:
 * C = alpha op(A) op(B) + beta C with op(A): m x k, op(B): k x n.
 */
final class Gemm {
    private Gemm() {
    }

    static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                      float[] a, int offA, float[] b, int offB, float beta, float[] c, int offC) {
        // Bring both operands to the (i, p) x (p, j) layout the inner loop streams through.
        final float[] aa;
        final int oa;
        if (transA) {
            aa = transpose(a, offA, k, m);
            oa = 0;
        } else {
            aa = a;
            oa = offA;
        }
        final float[] bb;
        final int ob;
        if (transB) {
            bb = transpose(b, offB, n, k);
            ob = 0;
        } else {
            bb = b;
            ob = offB;
        }
        Parallel.forRange(m, (long) n * k, (from, to) -> {
            for (int i = from; i < to; i++) {
                int ci = offC + i * n;
                if (beta == 0f) {
                    java.util.Arrays.fill(c, ci, ci + n, 0f);
                } else if (beta != 1f) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] *= beta;
                    }
                }
                for (int p = 0; p < k; p++) {
                    float av = alpha * aa[oa + i * k + p];
                    if (av == 0f) {
                        continue;
                    }
                    int bp = ob + p * n;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += av * bb[bp + j];
                    }
                }
            }
        });
    }

    /** The transpose of the rows x cols matrix at src[off], as a new cols x rows array. */
    static float[] transpose(float[] src, int off, int rows, int cols) {
        float[] t = new float[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = src[off + i * cols + j];
            }
        }
        return t;
    }
}
