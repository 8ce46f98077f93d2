package dev.pixelgrad.tensor;

import java.io.PrintStream;

/** A backend whose kernels have tunable parameters it can time and store for this device. */
public interface Tunable {
    /** Times candidate configurations at the VGG shapes, prints progress, stores the best in the cache. */
    void tune(PrintStream out);
}
