package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.testing.ReferenceSuite;
import org.junit.jupiter.api.Tag;

/** Larger shapes against plain double loops, on the OpenCL backend (skipped, saying why, without a device). */
@Tag("opencl")
class OpenClReferenceTest extends ReferenceSuite {
    @Override
    protected Backend backend() {
        return OpenClTestSupport.backend();
    }
}
