package dev.pixelgrad.tensor;

import dev.pixelgrad.tensor.cpu.JavaBackend;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Turns a device spec ({@code auto}, {@code java}, {@code opencl}, {@code opencl:P:D}) into a
 * backend. The spec comes from {@code --device}, else the {@code PIXELGRAD_DEVICE} environment
 * variable, else {@code auto}. When the requested backend cannot be had, one line says why and the
 * Java backend takes over: a missing OpenCL driver never stops a run.
 */
public final class Backends {
    /** The environment variable naming the default device. */
    public static final String DEVICE_ENV = "PIXELGRAD_DEVICE";

    private Backends() {
    }

    /** The pure-Java backend, always available. */
    public static Backend java() {
        return JavaBackend.get();
    }

    /** Providers found on the class path (OpenCL when the kernels module is present). */
    public static List<BackendProvider> providers() {
        List<BackendProvider> list = new ArrayList<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class)) {
            list.add(p);
        }
        return list;
    }

    /** The spec to use when none is given on the command line. */
    public static String defaultSpec() {
        String env = System.getenv(DEVICE_ENV);
        return env == null || env.isBlank() ? "auto" : env.trim();
    }

    /**
     * Opens the backend for {@code spec}; problems are reported through {@code warn} (one line)
     * and answered with the Java backend.
     */
    public static Backend select(String spec, Consumer<String> warn) {
        String s = spec == null || spec.isBlank() ? defaultSpec() : spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("java") || s.equals("cpu")) {
            return java();
        }
        if (s.equals("auto")) {
            for (BackendProvider p : providers()) {
                if (p instanceof AutoSelecting auto) {
                    try {
                        return auto.openAuto(warn);
                    } catch (BackendUnavailableException e) {
                        warn.accept(e.getMessage() + "; using the Java backend");
                        return java();
                    }
                }
            }
            return java();
        }
        String prefix = s.contains(":") ? s.substring(0, s.indexOf(':')) : s;
        for (BackendProvider p : providers()) {
            if (p.prefix().equals(prefix)) {
                try {
                    return p.open(s);
                } catch (BackendUnavailableException e) {
                    warn.accept(e.getMessage() + "; using the Java backend");
                    return java();
                } catch (RuntimeException | LinkageError e) {
                    warn.accept(prefix + ": " + e + "; using the Java backend");
                    return java();
                }
            }
        }
        if (!prefix.equals("opencl")) {
            throw new IllegalArgumentException("device: unknown device '" + spec
                    + "'; expected auto, java, opencl or opencl:PLATFORM:DEVICE");
        }
        warn.accept("opencl: the OpenCL backend (pixelgrad-kernels) is not on the class path; using the Java backend");
        return java();
    }

    /** A provider that can decide what {@code auto} means (e.g. GPU, else the faster of CPU paths). */
    public interface AutoSelecting {
        Backend openAuto(Consumer<String> warn) throws BackendUnavailableException;
    }
}
