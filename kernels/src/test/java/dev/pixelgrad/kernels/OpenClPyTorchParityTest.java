package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.testing.ParitySuite;
import org.junit.jupiter.api.Tag;

/** Parity with the PyTorch fixtures, on the OpenCL backend (skipped, saying why, without a device). */
@Tag("opencl")
class OpenClPyTorchParityTest extends ParitySuite {
    @Override
    protected Backend backend() {
        return OpenClTestSupport.backend();
    }
}
