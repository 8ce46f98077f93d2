package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.testing.GradientCheckSuite;
import org.junit.jupiter.api.Tag;

/** Finite-difference gradient checks of every op, on the OpenCL backend (skipped, saying why, without a device). */
@Tag("opencl")
class OpenClGradientCheckTest extends GradientCheckSuite {
    @Override
    protected Backend backend() {
        return OpenClTestSupport.backend();
    }
}
