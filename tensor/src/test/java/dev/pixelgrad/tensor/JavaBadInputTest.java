package dev.pixelgrad.tensor;

import dev.pixelgrad.tensor.testing.BadInputSuite;

/** The bad-input tests on the pure-Java backend. */
class JavaBadInputTest extends BadInputSuite {
    @Override
    protected Backend backend() {
        return Backends.java();
    }
}
