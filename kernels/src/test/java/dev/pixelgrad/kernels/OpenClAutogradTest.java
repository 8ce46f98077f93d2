package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.testing.AutogradSuite;
import org.junit.jupiter.api.Tag;

/** The autograd tape and composed forms, on the OpenCL backend (skipped, saying why, without a device). */
@Tag("opencl")
class OpenClAutogradTest extends AutogradSuite {
    @Override
    protected Backend backend() {
        return OpenClTestSupport.backend();
    }
}
