package dev.pixelgrad.nn.optim;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Storage;
import dev.pixelgrad.tensor.Tensor;

/**
 * Adam on the device, optimising one tensor (the image) against an {@link Objective}: each step
 * is {@link AdamStep}'s update. {@link ParameterAdam} is the same update over a network's
 * parameters.
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
        AdamStep.apply(be, x.data(), x.grad().data(), m, v, x.numel(), options, t);
        return evaluate();
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
