package dev.pixelgrad.kernels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.jocl.CL.CL_DEVICE_TYPE_CPU;
import static org.jocl.CL.CL_DEVICE_TYPE_GPU;

/** The table of tunables: defaults, builders, the -D options the sources need, the stored file. */
class TuningTest {
    @TempDir
    Path home;

    /** A device described by hand (no OpenCL needed): what the tuning rules look at. */
    static DeviceInfo device(long type, boolean localMemIsReal, long maxWorkGroupSize) {
        return device(type, localMemIsReal, maxWorkGroupSize, 16);
    }

    static DeviceInfo device(long type, boolean localMemIsReal, long maxWorkGroupSize, int floatLanes) {
        return new DeviceInfo(null, null, 0, 0, "Test device", "Test vendor", "Test platform", "1.0", "OpenCL C 1.2",
                type, 8, 1L << 30, 64 << 10, localMemIsReal, 1L << 28, maxWorkGroupSize, floatLanes);
    }

    @Test
    void defaultsPerKindOfDevice() {
        assertEquals(new Tuning(2, 7, true, 1, 4, 4, 4096, 0), Tuning.cpu());
        assertEquals(new Tuning(1, 4, false, 64, 4, 4, 512, 16), Tuning.gpu(1024));
        assertEquals(new Tuning(1, 4, false, 32, 4, 4, 512, 8), Tuning.gpu(32));
        assertEquals(Tuning.cpu(), Tuning.defaults(device(CL_DEVICE_TYPE_CPU, false, 4096)));
        assertEquals(Tuning.gpu(256), Tuning.defaults(device(CL_DEVICE_TYPE_GPU, true, 256)));
        assertEquals(Tuning.gpu(4096), Tuning.defaults(device(CL_DEVICE_TYPE_CPU, true, 4096)));
    }

    /** AVX2 CPUs (8 float lanes) get the smaller GEMM register tile; the rest stays. */
    @Test
    void cpuDefaultsFollowTheVectorWidth() {
        assertEquals(Tuning.cpu(), Tuning.cpu(16));
        assertEquals(new Tuning(2, 7, true, 1, 2, 2, 4096, 0), Tuning.cpu(8));
        assertEquals(new Tuning(2, 7, true, 1, 2, 2, 4096, 0), Tuning.cpu(4));
        assertEquals(Tuning.cpu(8), Tuning.defaults(device(CL_DEVICE_TYPE_CPU, false, 4096, 8)));
        assertEquals(Tuning.cpu(), Tuning.defaults(device(CL_DEVICE_TYPE_CPU, false, 4096, 16)));
        // A GPU's defaults do not depend on its vector width.
        assertEquals(Tuning.gpu(256), Tuning.defaults(device(CL_DEVICE_TYPE_GPU, true, 256, 1)));
    }

    @Test
    void eachBuilderChangesOneTunable() {
        Tuning t = Tuning.cpu();
        assertEquals(new Tuning(1, 7, true, 1, 4, 4, 4096, 0), t.withVk(1));
        assertEquals(new Tuning(2, 3, true, 1, 4, 4, 4096, 0), t.withPx(3));
        assertEquals(new Tuning(2, 7, false, 1, 4, 4, 4096, 0), t.withRowLoop(false));
        assertEquals(new Tuning(2, 7, true, 32, 4, 4, 4096, 0), t.withConvLocal(32));
        assertEquals(new Tuning(2, 7, true, 1, 3, 2, 4096, 0), t.withTiles(3, 2));
        assertEquals(new Tuning(2, 7, true, 1, 4, 4, 64, 0), t.withChunk(64));
        assertEquals(new Tuning(2, 7, true, 1, 4, 4, 4096, 8), t.withLocalTiles(8));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.withChunk(100));
        assertTrue(e.getMessage().contains("multiple of 16"), e.getMessage());
    }

    /** The sources keep no defaults: every macro they require must come from defines(). */
    @Test
    void definesCoverEveryMacroTheSourcesRequire() throws IOException {
        String defines = Tuning.cpu().defines();
        for (String file : new String[]{"conv.cl", "gemm.cl", "winograd.cl"}) {
            String src;
            try (InputStream in = Tuning.class.getResourceAsStream(file)) {
                src = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertFalse(src.matches("(?s).*#ifndef (VK|PX|ROW_LOOP|TM|TN|MDIMC|KWG|WL)\\b.*"), file + " has a default of its own");
            Matcher m = Pattern.compile("defined\\((\\w+)\\)").matcher(src);
            int required = 0;
            while (m.find()) {
                required++;
                assertTrue(defines.contains("-D " + m.group(1) + "="), file + " needs " + m.group(1) + "; defines: " + defines);
            }
            assertTrue(required >= 3, file + ": expected an #error guard listing the tunables");
        }
    }

    @Test
    void storedTuningRoundTrips() throws IOException {
        DeviceInfo dev = device(CL_DEVICE_TYPE_GPU, true, 256);
        Path file = Tuning.file(home, dev);
        assertEquals(home.resolve("opencl").resolve("tuning-" + dev.key() + ".properties"), file);
        assertEquals(Tuning.gpu(256), Tuning.forDevice(home, dev));
        Tuning t = Tuning.gpu(256).withPx(7).withConvLocal(32).withLocalTiles(8);
        t.write(file, "test");
        assertEquals(t, Tuning.read(file));
        assertEquals(t, Tuning.forDevice(home, dev));
    }

    @Test
    void fileWithoutLocalTilesStillLoads() throws IOException {
        Path file = home.resolve("old.properties");
        Files.writeString(file, "#pixelgrad tune\nvk=2\npx=6\nrowLoop=true\nconvLocal=1\ntm=5\ntn=5\nchunk=2048\n");
        assertEquals(new Tuning(2, 6, true, 1, 5, 5, 2048, 0), Tuning.read(file));
        Files.writeString(file, "vk=3\n");
        assertNull(Tuning.read(file));
        assertNull(Tuning.read(home.resolve("missing.properties")));
    }

    @Test
    void deviceKeyDependsOnNameAndDriver() {
        DeviceInfo a = device(CL_DEVICE_TYPE_GPU, true, 256);
        assertEquals(16, a.key().length());
        assertEquals(ProgramCache.sha256("Test device\n1.0").substring(0, 16), a.key());
        assertEquals(home.resolve("opencl").resolve("auto-" + a.key() + ".txt"), a.stateFile(home, "auto", ".txt"));
    }
}
