package dev.pixelgrad.tensor;

import dev.pixelgrad.tensor.testing.ReferenceSuite;

/** Larger shapes against plain double loops on the pure-Java backend (its multi-threaded paths). */
class JavaReferenceTest extends ReferenceSuite {
    @Override
    protected Backend backend() {
        return Backends.java();
    }
}
