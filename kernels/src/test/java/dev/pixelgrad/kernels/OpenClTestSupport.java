package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.BackendUnavailableException;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Storage;
import org.junit.jupiter.api.Assumptions;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs one kernel on the OpenCL backend and on the Java reference with the same buffers and
 * compares every buffer afterwards: inputs must be untouched, outputs equal within
 * max|a - b| / max|ref| &lt;= tolerance. Output buffers start random, so kernels that accumulate
 * are checked to accumulate.
 */
final class OpenClTestSupport {
    private static OpenClBackend backend;
    private static String unavailable;

    private OpenClTestSupport() {
    }

    /** The shared OpenCL backend; skips the calling test, saying why, when there is none. */
    static synchronized OpenClBackend backend() {
        if (backend == null && unavailable == null) {
            try {
                backend = (OpenClBackend) new OpenClProvider().open("opencl");
            } catch (BackendUnavailableException e) {
                unavailable = e.getMessage();
            }
        }
        Assumptions.assumeTrue(backend != null, () -> "no OpenCL device: " + unavailable);
        return backend;
    }

    interface Kernel {
        void run(Backend b, Storage[] s);
    }

    static float[] random(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextFloat() * 2f - 1f;
        }
        return a;
    }

    static float[] positive(Random rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = 0.1f + rnd.nextFloat();
        }
        return a;
    }

    /** Runs {@code kernel} on both backends over copies of {@code buffers} and compares them all. */
    static void check(String what, double tolerance, Kernel kernel, float[]... buffers) {
        check(backend(), what, tolerance, kernel, buffers);
    }

    /** As {@link #check(String, double, Kernel, float[]...)} on a given OpenCL backend. */
    static void check(OpenClBackend cl, String what, double tolerance, Kernel kernel, float[]... buffers) {
        float[][] ref = run(Backends.java(), kernel, buffers);
        float[][] got = run(cl, kernel, buffers);
        for (int i = 0; i < buffers.length; i++) {
            double err = relativeError(ref[i], got[i]);
            int index = i;
            assertTrue(err <= tolerance, () -> what + ": buffer " + index + " differs from the Java backend by " + err
                    + " (relative to its largest value), tolerance " + tolerance);
        }
    }

    static float[][] run(Backend b, Kernel kernel, float[]... buffers) {
        Storage[] s = new Storage[buffers.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = b.upload(buffers[i]);
        }
        kernel.run(b, s);
        float[][] out = new float[s.length][];
        for (int i = 0; i < s.length; i++) {
            out[i] = new float[buffers[i].length];
            b.download(s[i], out[i]);
            s[i].release();
        }
        return out;
    }

    /** max |a - b| / max |ref|, NaNs equal to NaNs, infinities to infinities of the same sign. */
    static double relativeError(float[] ref, float[] got) {
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < ref.length; i++) {
            if (Float.isNaN(ref[i]) || Float.isInfinite(ref[i])) {
                if (Float.compare(ref[i], got[i]) != 0) {
                    fail("element " + i + ": expected " + ref[i] + " but got " + got[i]);
                }
                continue;
            }
            maxDiff = Math.max(maxDiff, Math.abs((double) ref[i] - got[i]));
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
            if (Float.isNaN(got[i])) {
                return Double.POSITIVE_INFINITY;
            }
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }
}
