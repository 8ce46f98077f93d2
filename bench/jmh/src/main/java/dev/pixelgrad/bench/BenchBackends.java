package dev.pixelgrad.bench;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;

import java.util.ArrayList;
import java.util.List;

/**
 * Opens the backend a benchmark names, and refuses a stand-in: {@link Backends#select} answers a
 * missing OpenCL driver with the Java backend, which must not be timed under the name "opencl".
 */
final class BenchBackends {
    /** Every backend spec the benchmarks know; BenchMain runs those that open. */
    static final List<String> SPECS = List.of("java", "opencl");

    private BenchBackends() {
    }

    /** The backend for spec, or an exception saying why it is unavailable. */
    static Backend open(String spec) {
        List<String> warnings = new ArrayList<>();
        Backend backend = Backends.select(spec, warnings::add);
        if (!backend.name().startsWith(spec)) {
            throw new IllegalStateException(spec + " unavailable: "
                    + (warnings.isEmpty() ? "got backend " + backend.name() : String.join("; ", warnings)));
        }
        return backend;
    }

    /** Fills a new buffer with a fixed pseudo-random pattern in [-0.5, 0.5). */
    static dev.pixelgrad.tensor.Storage random(Backend backend, long n, long seed) {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
        float[] a = new float[Math.toIntExact(n)];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextDouble() - 0.5f;
        }
        return backend.upload(a);
    }
}
