package dev.pixelgrad.algorithms;

import dev.pixelgrad.tensor.Tensor;

import java.util.Map;

/**
 * Watches an optimisation: called once per iteration with the weighted loss terms (their sum is
 * the loss) and the current image in network space. Iteration 0 is the starting image.
 */
public interface Monitor {
    void iteration(int iter, float loss, Map<String, Float> terms, Tensor x);

    /**
     * Polled between steps; true ends the loop early (Ctrl-C, the live page's stop). It may block
     * while the run is paused, so the loop needs no pause of its own.
     */
    default boolean stopRequested() {
        return false;
    }

    /**
     * Polled between steps, right after {@link #stopRequested}: the settings to use from step
     * {@code iter} on, or null when nothing changed. The loop applies them before that step.
     */
    default Changes changes(int iter) {
        return null;
    }

    /**
     * Called once, after the last {@link #iteration}, when the optimiser stopped before the
     * iterations ran out because it can make no further progress; {@code reason} says which test
     * fired, in words ("the loss changed by less than 1e-9 relative over 5 iterations").
     */
    default void stoppedEarly(int iter, String reason) {
    }

    /** Does nothing. */
    Monitor NONE = (iter, loss, terms, x) -> {
    };
}
