package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.testing.BadInputSuite;
import org.junit.jupiter.api.Tag;

/** Error messages for bad inputs, on the OpenCL backend (skipped, saying why, without a device). */
@Tag("opencl")
class OpenClBadInputTest extends BadInputSuite {
    @Override
    protected Backend backend() {
        return OpenClTestSupport.backend();
    }
}
