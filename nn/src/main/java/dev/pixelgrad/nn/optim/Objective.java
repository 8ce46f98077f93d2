package dev.pixelgrad.nn.optim;

import dev.pixelgrad.tensor.Tensor;

/**
 * The function an optimiser minimises, over one tensor x (the image).
 * {@link #evaluate} zeroes {@code x.grad()}, computes f(x), runs backward so that
 * {@code x.grad()} holds the gradient, and returns f(x): the one number read back from the device.
 */
@FunctionalInterface
public interface Objective {
    float evaluate(Tensor x);
}
