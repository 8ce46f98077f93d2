package dev.pixelgrad.nn.optim;

import dev.pixelgrad.tensor.AdamKernel;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Storage;

/**
 * One Adam update of a buffer p with gradient g and moments m, v (t counts from 1):
 * <pre>
 * m = b1 m + (1-b1) g,   v = b2 v + (1-b2) g^2,   p -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
 * </pre>
 * one fused kernel where the backend offers {@link AdamKernel}, otherwise the same update composed
 * from the elementwise kernels every backend has. Shared by {@link Adam} (one image) and
 * {@link ParameterAdam} (a network's parameters).
 */
final class AdamStep {
    private AdamStep() {
    }

    static void apply(Backend be, Storage p, Storage g, Storage m, Storage v, long n, AdamOptions options, int t) {
        if (be instanceof AdamKernel fused) {
            fused.adamUpdate(p, g, m, v, n, options.learningRate(), options.beta1(), options.beta2(), options.eps(), t);
        } else {
            composed(be, p, g, m, v, n, options, t);
        }
    }

    /** The update of the class comment, one elementwise kernel at a time. */
    private static void composed(Backend be, Storage p, Storage g, Storage m, Storage v, long n, AdamOptions options, int t) {
        float b1 = options.beta1(), b2 = options.beta2();
        float c1 = 1f - (float) Math.pow(b1, t), c2 = 1f - (float) Math.pow(b2, t);
        Storage a = be.allocate(n), b = be.allocate(n);
        try {
            be.scale(m, b1, m, n);                       // m = b1 m + (1-b1) g
            be.axpy(1f - b1, g, m, n);
            be.mul(g, g, a, n);                          // v = b2 v + (1-b2) g^2
            be.scale(v, b2, v, n);
            be.axpy(1f - b2, a, v, n);
            be.scale(v, 1f / c2, a, n);                  // a = 1 / (sqrt(v / c2) + eps)
            be.powForward(a, 0.5f, a, n);
            be.fill(b, options.eps(), n);
            be.add(a, b, a, n);
            be.powForward(a, -1f, a, n);
            be.mul(m, a, a, n);                          // p -= (lr / c1) m a
            be.axpy(-options.learningRate() / c1, a, p, n);
        } finally {
            a.release();
            b.release();
        }
    }
}
