package dev.pixelgrad.tensor;

import dev.pixelgrad.tensor.testing.LoopBackend;
import dev.pixelgrad.tensor.testing.BadInputSuite;

/** The bad-input tests on the plain-loop backend, a second implementation of {@link Backend}. */
class LoopBackendBadInputTest extends BadInputSuite {
    private static final Backend LOOP = new LoopBackend();

    @Override
    protected Backend backend() {
        return LOOP;
    }
}
