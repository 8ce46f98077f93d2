package dev.pixelgrad.tensor;

import dev.pixelgrad.tensor.testing.GradientCheckSuite;

/** The gradient checks on the pure-Java backend. */
class JavaGradientCheckTest extends GradientCheckSuite {
    @Override
    protected Backend backend() {
        return Backends.java();
    }
}
