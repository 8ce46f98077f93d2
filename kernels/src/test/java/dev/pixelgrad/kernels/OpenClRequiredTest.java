package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.BackendUnavailableException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Where OpenCL must work (CI installs POCL and sets {@code PIXELGRAD_REQUIRE_OPENCL=1}), the
 * backend must open. Every other OpenCL test skips when it does not, which is right on a machine
 * without a device but would hide a kernel source that no longer compiles: the program is built
 * when the backend opens, so a compile error reads as "no OpenCL device" there.
 */
class OpenClRequiredTest {
    static final String REQUIRE = "PIXELGRAD_REQUIRE_OPENCL";

    @Test
    void theBackendOpensWhereOpenClIsRequired() {
        Assumptions.assumeTrue("1".equals(System.getenv(REQUIRE)), REQUIRE + " is not set to 1: OpenCL is optional here");
        try {
            new OpenClProvider().open("opencl").finish();
        } catch (BackendUnavailableException e) {
            fail(REQUIRE + "=1, but the OpenCL backend does not open: " + e.getMessage());
        }
    }
}
