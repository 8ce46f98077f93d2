package dev.pixelgrad.tensor;

import java.io.PrintStream;

/**
 * A {@link BackendProvider} whose devices have kernel parameters it can time and store. The
 * provider, not an open backend, does the tuning: each candidate needs kernels built afresh.
 */
public interface Tunable {
    /**
     * Times candidate configurations on the device {@code spec} names (as for
     * {@link BackendProvider#open}) at the VGG shapes, prints progress on {@code out} and stores the
     * best in the cache, where backends opened afterwards find it.
     *
     * @throws BackendUnavailableException with a one-line reason when the device cannot be used
     */
    void tune(String spec, PrintStream out) throws BackendUnavailableException;
}
