package dev.pixelgrad.tensor;

import dev.pixelgrad.tensor.testing.LoopBackend;
import dev.pixelgrad.tensor.testing.AutogradSuite;

/** The autograd behaviour tests on the plain-loop backend, a second implementation of {@link Backend}. */
class LoopBackendAutogradTest extends AutogradSuite {
    private static final Backend LOOP = new LoopBackend();

    @Override
    protected Backend backend() {
        return LOOP;
    }
}
