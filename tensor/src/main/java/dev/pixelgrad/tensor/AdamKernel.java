package dev.pixelgrad.tensor;

/**
 * An optional capability: one fused kernel for an Adam step. Backends that implement it save the
 * five elementwise passes the optimiser otherwise composes from {@link Backend} kernels.
 */
public interface AdamKernel {
    /**
     * One Adam step on p with gradient g and moments m, v (t counts from 1):
     * <pre>
     * m = b1 m + (1-b1) g;   v = b2 v + (1-b2) g^2;   p -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
     * </pre>
     */
    void adamUpdate(Storage p, Storage g, Storage m, Storage v, long n,
                    float lr, float beta1, float beta2, float eps, int t);
}
