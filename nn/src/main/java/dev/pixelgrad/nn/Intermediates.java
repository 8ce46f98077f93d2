package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Grad;
import dev.pixelgrad.tensor.Tensor;

/**
 * Frees the activations of a forward pass without a tape as soon as the next layer has read them.
 * With gradients on, the tape holds them for backward (which frees them); with gradients off
 * nothing else refers to them, and on a device they would otherwise stay allocated until the
 * garbage collector notices, so a large image could need several times the memory of its widest
 * layer.
 */
final class Intermediates {
    private Intermediates() {
    }

    /**
     * Returns {@code result}, first closing {@code used} (an intermediate the caller made and no
     * longer needs) when no tape records this pass.
     */
    static Tensor free(Tensor used, Tensor result) {
        if (used != result && !Grad.isEnabled()) {
            used.close();
        }
        return result;
    }
}
