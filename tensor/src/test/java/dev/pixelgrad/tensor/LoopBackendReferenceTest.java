package dev.pixelgrad.tensor;

import dev.pixelgrad.tensor.testing.LoopBackend;
import dev.pixelgrad.tensor.testing.ReferenceSuite;

/** Larger shapes against plain double loops on the plain-loop backend, a second implementation of {@link Backend}. */
class LoopBackendReferenceTest extends ReferenceSuite {
    private static final Backend LOOP = new LoopBackend();

    @Override
    protected Backend backend() {
        return LOOP;
    }
}
