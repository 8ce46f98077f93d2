package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.ConvGeometry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static dev.pixelgrad.kernels.OpenClTestSupport.backend;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tuner at the runtime level, with a short candidate list and small shapes; the runtime's kernel table. */
@Tag("opencl")
class TunerTest {
    @TempDir
    Path home;

    @Test
    void tunesWithCandidateRuntimesAndStoresTheBest() throws IOException {
        DeviceInfo dev = backend().device();
        Tuner small = new Tuner(List.of(new ConvGeometry(1, 8, 12, 12, 16, 3, 3, 1, 1, 1, 1)), new int[][]{{8, 1000}}, 2);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        Tuning best = small.tune(dev, Tuning.defaults(dev), home, new PrintStream(text, true, StandardCharsets.UTF_8));
        String out = text.toString(StandardCharsets.UTF_8);
        assertEquals(best, Tuning.read(Tuning.file(home, dev)), out);
        assertEquals(4, out.lines().filter(l -> l.contains("GFLOP/s")).count(), out);
        assertTrue(out.contains("best: " + best), out);
        assertTrue(Tuner.convCandidates(dev, Tuning.defaults(dev)).subList(0, 2).stream()
                .anyMatch(t -> t.vk() == best.vk() && t.px() == best.px()), out);
    }

    @Test
    void candidatesKeepTheOtherStageSettings() {
        DeviceInfo gpu = TuningTest.device(CL_DEVICE_TYPE_GPU, true, 256);
        Tuning base = Tuning.gpu(256).withTiles(2, 2).withChunk(1024);
        for (Tuning t : Tuner.convCandidates(gpu, base)) {
            assertEquals(base.withPx(t.px()).withConvLocal(t.convLocal()), t);
        }
        assertEquals(9, Tuner.convCandidates(gpu, base).size());
        assertEquals(7, Tuner.convCandidates(TuningTest.device(CL_DEVICE_TYPE_CPU, false, 4096), Tuning.cpu()).size());
        Tuning conv = Tuning.gpu(256).withPx(7);
        List<Tuning> gemm = Tuner.gemmCandidates(gpu, conv);
        assertEquals(9 + 6, gemm.size()); // 3 tiles x 3 chunks without local memory, 2 groups x 3 tiles with
        for (Tuning t : gemm) {
            assertEquals(conv.withTiles(t.tm(), t.tn()).withChunk(t.chunk()).withLocalTiles(t.localTiles()), t);
        }
    }

    @Test
    void runtimeKnowsEveryKernelOfBothPrograms() {
        ClRuntime rt = backend().runtime();
        rt.call("fill");
        rt.call("conv_forward");
        rt.call("gemm_nt_local");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> rt.call("copy_buffer"));
        assertTrue(e.getMessage().contains("copy_buffer"), e.getMessage());
    }

}
