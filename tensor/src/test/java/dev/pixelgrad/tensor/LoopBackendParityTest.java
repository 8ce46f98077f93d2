package dev.pixelgrad.tensor;

import dev.pixelgrad.tensor.testing.LoopBackend;
import dev.pixelgrad.tensor.testing.ParitySuite;

/** Parity with the PyTorch fixtures on the plain-loop backend, a second implementation of {@link Backend}. */
class LoopBackendParityTest extends ParitySuite {
    private static final Backend LOOP = new LoopBackend();

    @Override
    protected Backend backend() {
        return LOOP;
    }
}
