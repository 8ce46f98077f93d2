package dev.pixelgrad.tensor;

import dev.pixelgrad.tensor.testing.ParitySuite;

/** Parity with the PyTorch fixtures on the pure-Java backend. */
class PyTorchParityTest extends ParitySuite {
    @Override
    protected Backend backend() {
        return Backends.java();
    }
}
