package dev.pixelgrad.nn;

import dev.pixelgrad.tensor.Tensor;

/** A layer: a function of one tensor, possibly holding parameters. */
public interface Module {
    Tensor forward(Tensor x);
}
