package dev.pixelgrad.algorithms;

import dev.pixelgrad.tensor.Tensor;

import java.util.Map;

/**
 * Watches an optimisation: called once per iteration with the weighted loss terms (their sum is
 * the loss) and the current image in network space. Iteration 0 is the starting image.
 */
public interface Monitor {
    void iteration(int iter, float loss, Map<String, Float> terms, Tensor x);

    /** Polled after each iteration; true ends the loop early (Ctrl-C). */
    default boolean stopRequested() {
        return false;
    }

    /** Does nothing. */
    Monitor NONE = (iter, loss, terms, x) -> {
    };
}
