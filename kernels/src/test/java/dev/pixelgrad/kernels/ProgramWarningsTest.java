package dev.pixelgrad.kernels;

import org.jocl.cl_program;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static dev.pixelgrad.kernels.OpenClTestSupport.backend;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Compiler warnings stay out of a run's output: POCL prints clang's "1 warning generated." on the
 * process's stderr and the warning itself in the build log; {@link ProgramCache#NO_WARNINGS} silences both.
 */
@Tag("opencl")
class ProgramWarningsTest {
    @Test
    void aProgramWithAWarningBuildsSilently(@TempDir Path home) {
        OpenClBackend cl = backend();
        // a fresh cache, so the program is compiled from source rather than loaded
        cl_program p = new ProgramCache(home).build(cl.runtime().context(), cl.device(), "warning",
                "__kernel void k(__global float* y) { int i = 1.5; y[0] = i; }", "");
        try {
            String log = ProgramCache.buildLog(p, cl.device().device());
            assertFalse(log.contains("warning"), log);
        } finally {
            org.jocl.CL.clReleaseProgram(p);
        }
    }
}
