package dev.pixelgrad.nn.optim;

import dev.pixelgrad.tensor.AdamKernel;
import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Storage;
import dev.pixelgrad.tensor.Tensor;

/**
 * Adam on the device:
 * <pre>
 * m = b1 m + (1-b1) g,   v = b2 v + (1-b2) g^2,   x -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
 * </pre>
 * one fused kernel per step where the backend offers {@link AdamKernel}, otherwise the same update
 * composed from the elementwise kernels every backend has.
 */
public final class Adam implements Optimizer {
    private final Tensor x;
    private final Objective f;
    private final AdamOptions options;
    private final Backend be;
    private final Storage m, v;
    private int t;
    private int evaluations;
    private boolean started;

    public Adam(Tensor x, Objective f, AdamOptions options) {
        this.x = x;
        this.f = f;
        this.options = options;
        this.be = x.backend();
        this.m = be.allocate(x.numel());
        this.v = be.allocate(x.numel());
    }

    @Override
    public float start() {
        started = true;
        return evaluate();
    }

    @Override
    public float step() {
        if (!started) {
            start();
        }
        t++;
        Storage g = x.grad().data();
        if (be instanceof AdamKernel fused) {
            fused.adamUpdate(x.data(), g, m, v, x.numel(), options.learningRate(), options.beta1(), options.beta2(),
                    options.eps(), t);
        } else {
            composedUpdate(g);
        }
        return evaluate();
    }

    /** The update of the class comment, one elementwise kernel at a time. */
    private void composedUpdate(Storage g) {
        long n = x.numel();
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
            be.mul(m, a, a, n);                          // x -= (lr / c1) m a
            be.axpy(-options.learningRate() / c1, a, x.data(), n);
        } finally {
            a.release();
            b.release();
        }
    }

    private float evaluate() {
        evaluations++;
        return f.evaluate(x);
    }

    @Override
    public int evaluations() {
        return evaluations;
    }

    @Override
    public void close() {
        m.release();
        v.release();
    }
}
