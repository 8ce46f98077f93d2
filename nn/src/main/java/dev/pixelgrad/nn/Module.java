package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Tensor;

/** A layer: a function of one tensor, possibly holding parameters. */
public interface Module {
    Tensor forward(Tensor x);

    /**
     * Whether this layer's backward reads the values of its input. False lets a preceding layer's
     * output go as soon as this layer has run (a ReLU's backward reads its own output).
     */
    default boolean backwardReadsInput() {
        return true;
    }

    /** Whether this layer's backward reads the values of its own output (a convolution's does not). */
    default boolean backwardReadsOutput() {
        return true;
    }
}
