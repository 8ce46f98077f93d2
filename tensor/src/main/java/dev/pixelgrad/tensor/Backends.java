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
     * Checks that {@code spec} is written as a device spec ({@code auto}, {@code java},
     * {@code opencl}, {@code opencl:P:D}, or a provider's prefix) and returns it trimmed and in
     * lower case; {@code from} names where it came from ("PIXELGRAD_DEVICE"), or is null where the
     * caller says that itself. Whether such a device exists is for {@link #select} to find out.
     */
    public static String checkSpec(String spec, String from) {
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        String prefix = s.contains(":") ? s.substring(0, s.indexOf(':')) : s;
        boolean known = s.equals("auto") || s.equals("java") || s.equals("cpu") || s.equals("opencl")
                || s.matches("opencl:\\d+:\\d+")
                || (!prefix.equals("opencl") && providers().stream().anyMatch(p -> p.prefix().equals(prefix)));
        if (!known) {
            throw new IllegalArgumentException((from == null ? "" : "device: " + from + ": ") + "'" + spec
                    + "' is not a device; expected auto, java, opencl or opencl:PLATFORM:DEVICE (see 'pixelgrad devices')");
        }
        return s;
    }

    /**
     * Opens the backend for {@code spec} (null or blank: {@code $PIXELGRAD_DEVICE}, else auto); a
     * spec that is no device spec at all is an {@link IllegalArgumentException} naming where it came
     * from, and a device that cannot be had is reported through {@code warn} (one line) and answered
     * with the Java backend.
     */
    public static Backend select(String spec, Consumer<String> warn) {
        return select(spec, warn, false);
    }

    /** As {@link #select(String, Consumer)}; {@code retimeAuto} makes auto time its choice again instead of using a saved one. */
    public static Backend select(String spec, Consumer<String> warn, boolean retimeAuto) {
        boolean fromEnv = spec == null || spec.isBlank();
        String s = checkSpec(fromEnv ? defaultSpec() : spec, fromEnv ? DEVICE_ENV : "device");
        if (s.equals("java") || s.equals("cpu")) {
            return java();
        }
        if (s.equals("auto")) {
            for (BackendProvider p : providers()) {
                if (p instanceof AutoSelecting auto) {
                    try {
                        return auto.openAuto(warn, retimeAuto);
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
        warn.accept("opencl: the OpenCL backend (pixelgrad-kernels) is not on the class path; using the Java backend");
        return java();
    }

    /** A provider that can decide what {@code auto} means (e.g. GPU, else the faster of CPU paths). */
    public interface AutoSelecting {
        /** @param retime time the candidates again instead of using a saved choice */
        Backend openAuto(Consumer<String> warn, boolean retime) throws BackendUnavailableException;

        /** What the last choice in this JVM was made by (e.g. the timings), or null. */
        String autoReason();
    }

    /** Why auto picked what it picked in this JVM (the timings it compared, or that a GPU was found), or null. */
    public static String autoReason() {
        for (BackendProvider p : providers()) {
            if (p instanceof AutoSelecting auto && auto.autoReason() != null) {
                return auto.autoReason();
            }
        }
        return null;
    }
}
