package dev.pixelgrad.tensor;

import dev.pixelgrad.tensor.testing.AutogradSuite;

/** The autograd behaviour tests on the pure-Java backend. */
class JavaAutogradTest extends AutogradSuite {
    @Override
    protected Backend backend() {
        return Backends.java();
    }
}
