package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.io.AtomicFiles;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_program;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import static org.jocl.CL.*;

/**
 * Builds OpenCL programs from the {@code .cl} resources, caching the device binaries on disk under
 * {@code PIXELGRAD_HOME/opencl/}, keyed by the device's {@link DeviceInfo#key() key} (name and
 * driver version) and the SHA-256 of source plus build options: the second start loads the binary
 * instead of compiling.
 */
final class ProgramCache {
    /**
     * Put before every program's build options: no compiler warnings. POCL lets clang print its
     * "N warnings generated." straight to the process's stderr, in the middle of a run's output,
     * where it tells a user nothing; build errors still arrive in the build log.
     */
    static final String NO_WARNINGS = "-w";

    private final Path dir;
    private int compiled;
    private int loaded;

    /** A cache under {@code home}, normally {@link dev.pixelgrad.tensor.io.PixelgradHome#dir()}. */
    ProgramCache(Path home) {
        this.dir = dir(home);
    }

    /** The directory of every OpenCL file under {@code home}: binaries, tunings, the auto decision. */
    static Path dir(Path home) {
        return home.resolve("opencl");
    }

    /** The concatenated text of resources such as {@code common.cl}, in order. */
    static String source(String... files) {
        StringBuilder sb = new StringBuilder();
        for (String f : files) {
            try (InputStream in = ProgramCache.class.getResourceAsStream(f)) {
                if (in == null) {
                    throw new IllegalStateException("opencl: kernel source " + f + " is missing from the class path");
                }
                sb.append("// ---- ").append(f).append('\n');
                sb.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sb.toString();
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    int compiledCount() {
        return compiled;
    }

    int loadedCount() {
        return loaded;
    }

    /**
     * A built program for {@code dev}; {@code what} names it in errors, {@code defines} are the
     * build options ({@code -D} flags), which follow {@link #NO_WARNINGS}.
     */
    cl_program build(cl_context context, DeviceInfo dev, String what, String source, String defines) {
        String options = defines.isEmpty() ? NO_WARNINGS : NO_WARNINGS + " " + defines;
        String key = sha256(dev.key() + "\n" + options + "\n" + source);
        Path file = dir.resolve(key + ".bin");
        cl_device_id[] devices = {dev.device()};
        if (Files.isRegularFile(file)) {
            try {
                byte[] binary = Files.readAllBytes(file);
                int[] status = new int[1];
                cl_program p = clCreateProgramWithBinary(context, 1, devices, new long[]{binary.length},
                        new byte[][]{binary}, status, null);
                clBuildProgram(p, 1, devices, options, null, null);
                loaded++;
                return p;
            } catch (IOException | CLException e) {
                // A stale or foreign binary: fall through and compile from source.
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // the cache is an optimisation only
                }
            }
        }
        cl_program p = clCreateProgramWithSource(context, 1, new String[]{source}, null, null);
        try {
            clBuildProgram(p, 1, devices, options, null, null);
        } catch (CLException e) {
            throw new IllegalStateException("opencl: building " + what + " (" + options + ") for " + dev.name()
                    + " failed: " + e.getMessage() + "\n" + buildLog(p, dev.device()), e);
        }
        compiled++;
        store(p, file);
        return p;
    }

    static String buildLog(cl_program p, cl_device_id device) {
        try {
            long[] size = new long[1];
            clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] buf = new byte[(int) size[0]];
            clGetProgramBuildInfo(p, device, CL_PROGRAM_BUILD_LOG, buf.length, Pointer.to(buf), null);
            return new String(buf, StandardCharsets.UTF_8).trim();
        } catch (CLException e) {
            return "(no build log: " + e.getMessage() + ")";
        }
    }

    /** Writes the binary atomically, so readers never see half a file. */
    private void store(cl_program p, Path file) {
        try {
            long[] sizes = new long[1];
            clGetProgramInfo(p, CL_PROGRAM_BINARY_SIZES, Sizeof.size_t, Pointer.to(sizes), null);
            if (sizes[0] <= 0) {
                return;
            }
            byte[] binary = new byte[(int) sizes[0]];
            clGetProgramInfo(p, CL_PROGRAM_BINARIES, Sizeof.POINTER, Pointer.to(Pointer.to(binary)), null);
            AtomicFiles.writeBytes(file, binary);
        } catch (IOException | CLException | UnsupportedOperationException e) {
            // Without a cache the next start compiles again; nothing else is lost.
        }
    }
}
