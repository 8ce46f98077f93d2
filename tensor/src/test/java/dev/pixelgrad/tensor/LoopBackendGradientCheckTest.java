package dev.pixelgrad.tensor;

import dev.pixelgrad.tensor.testing.LoopBackend;
import dev.pixelgrad.tensor.testing.GradientCheckSuite;

/** The gradient checks on the plain-loop backend, a second implementation of {@link Backend}. */
class LoopBackendGradientCheckTest extends GradientCheckSuite {
    private static final Backend LOOP = new LoopBackend();

    @Override
    protected Backend backend() {
        return LOOP;
    }
}
