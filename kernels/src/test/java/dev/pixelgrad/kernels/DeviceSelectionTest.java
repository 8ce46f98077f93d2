package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.BackendProvider;
import dev.pixelgrad.tensor.BackendUnavailableException;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Storage;
import dev.pixelgrad.tensor.io.PixelgradHome;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.pixelgrad.kernels.OpenClTestSupport.backend;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Device specs, fallback to Java with one line, describe(), the binary cache and transfer counts. */
@Tag("opencl")
class DeviceSelectionTest {

    @Test
    void providerIsFoundThroughServiceLoader() {
        assertTrue(Backends.providers().stream().anyMatch(p -> p instanceof OpenClProvider));
    }

    @Test
    void badDeviceFallsBackToJavaWithOneLine() {
        List<String> warnings = new ArrayList<>();
        Backend b = Backends.select("opencl:9:9", warnings::add);
        assertSame(Backends.java(), b);
        assertEquals(1, warnings.size(), warnings.toString());
        assertFalse(warnings.get(0).contains("\n"), warnings.get(0));
        assertTrue(warnings.get(0).startsWith("opencl"), warnings.get(0));
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class, () -> new OpenClProvider().open("opencl:x:y"));
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void describeNeverThrowsAndListsDevices() {
        List<BackendProvider.DeviceDescription> list = new OpenClProvider().describe();
        assertFalse(list.isEmpty());
        for (BackendProvider.DeviceDescription d : list) {
            assertTrue(d.spec().startsWith("opencl"), d.toString());
        }
    }

    @Test
    void openedDeviceIsNamedAndSelectable() {
        OpenClBackend cl = backend();
        List<String> warnings = new ArrayList<>();
        Backend b = Backends.select(cl.device().spec(), warnings::add);
        assertTrue(warnings.isEmpty(), warnings.toString());
        assertSame(cl, b);
        assertTrue(b.name().startsWith("opencl:"), b.name());
        Backend auto = Backends.select("auto", warnings::add);
        assertTrue(warnings.isEmpty(), warnings.toString());
        assertTrue(auto == cl || auto == Backends.java(), auto.name());
    }

    @Test
    void secondBuildLoadsTheCachedBinary() {
        OpenClBackend cl = backend();
        ProgramCache cache = new ProgramCache(PixelgradHome.dir());
        String src = ProgramCache.source("common.cl", "elementwise.cl");
        org.jocl.CL.clReleaseProgram(cache.build(cl.runtime().context(), cl.device(), "test", src, "-D CACHE_TEST=1"));
        org.jocl.CL.clReleaseProgram(cache.build(cl.runtime().context(), cl.device(), "test", src, "-D CACHE_TEST=1"));
        assertTrue(cache.loadedCount() >= 1, "compiled " + cache.compiledCount() + ", loaded " + cache.loadedCount());
    }

    @Test
    void buildErrorNamesDeviceAndLog() {
        OpenClBackend cl = backend();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new ProgramCache(PixelgradHome.dir())
                .build(cl.runtime().context(), cl.device(), "broken", "__kernel void k(__global float* y) { y[0] = undefined_name; }", ""));
        assertTrue(e.getMessage().contains(cl.device().name()), e.getMessage());
        assertTrue(e.getMessage().contains("undefined_name"), e.getMessage());
    }

    @Test
    void tooLargeAllocationNamesSizeAndHint() {
        OpenClBackend cl = backend();
        long floats = cl.device().maxAllocBytes() / 4 + 1024;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cl.allocate(floats));
        assertTrue(e.getMessage().contains("MiB") && e.getMessage().contains("use a smaller --size or --device java"), e.getMessage());
    }

    @Test
    void optimisationLoopMakesNoTransfers() {
        OpenClBackend cl = backend();
        int n = 10_000;
        Storage p = cl.upload(OpenClTestSupport.random(new java.util.Random(1), n));
        Storage g = cl.allocate(n), m = cl.allocate(n), v = cl.allocate(n), loss = cl.allocate(1), target = cl.allocate(n);
        Storage lo = cl.upload(new float[]{-1f}), hi = cl.upload(new float[]{1f});
        cl.transfers().reset();
        for (int t = 1; t <= 5; t++) {
            cl.sumSquaredDiff(p, target, n, loss);
            cl.fill(g, 0f, n);
            cl.diffAccumulate(2f, loss, p, target, g, n);
            cl.adamUpdate(p, g, m, v, n, 0.01f, 0.9f, 0.999f, 1e-8f, t);
            cl.clampChannels(p, lo, hi, 1, 1, n, p);
        }
        cl.finish();
        assertEquals(0, cl.transfers().total(), cl.transfers().toString());
        cl.readScalar(loss, 0);
        assertEquals(1, cl.transfers().scalarReads());
        for (Storage s : new Storage[]{p, g, m, v, loss, target}) {
            s.release();
            assertTrue(s.isReleased());
        }
    }
}
