package dev.pixelgrad.nn.optim;

import dev.pixelgrad.tensor.Tensor;

import java.util.Optional;

/**
 * Minimises an {@link Objective} over the pixels of one tensor, in place. Every vector (x, the
 * gradient, moments, L-BFGS history) stays on x's backend; only losses and dot products are read
 * back.
 *
 * <p>Use: {@code f0 = opt.start()} evaluates the starting point (iteration 0), then each
 * {@code fk = opt.step()} moves x and returns f at the new x, whose gradient is then in
 * {@code x.grad()}.
 */
public interface Optimizer extends AutoCloseable {
    /** Evaluates f and its gradient at the current x; returns f(x). Call once, first. */
    float start();

    /** One iteration: updates x in place and evaluates f there; returns f(x). */
    float step();

    /** How many times f has been evaluated (L-BFGS may evaluate more than once per step). */
    int evaluations();

    /**
     * Why the optimiser cannot make further progress (further steps leave x unchanged), or empty
     * while it can.
     */
    default Optional<Convergence> convergence() {
        return Optional.empty();
    }

    /** True when {@link #convergence()} is present. */
    default boolean converged() {
        return convergence().isPresent();
    }

    /** Frees the optimiser's device buffers. */
    @Override
    void close();

    /** The optimiser for a kind with its default options. */
    static Optimizer create(OptimizerKind kind, Tensor x, Objective f, float learningRate, int historySize) {
        return switch (kind) {
            case ADAM -> new Adam(x, f, AdamOptions.defaults().withLearningRate(learningRate));
            case LBFGS -> new Lbfgs(x, f, LbfgsOptions.defaults().withHistorySize(historySize).withLearningRate(learningRate));
        };
    }
}
