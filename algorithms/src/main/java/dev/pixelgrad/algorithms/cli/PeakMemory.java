package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.DeviceMemory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;

/** The memory a run took at its peak, for its last line: the device's buffers, or the Java heap. */
final class PeakMemory {
    private PeakMemory() {
    }

    /** e.g. {@code peak device memory 812 MiB} or {@code peak Java heap 1930 MiB}. */
    static String describe(Backend backend) {
        if (backend instanceof DeviceMemory d) {
            return String.format(Locale.ROOT, "peak device memory %d MiB", d.peakBytes() >> 20);
        }
        return String.format(Locale.ROOT, "peak Java heap %d MiB", heapPeakBytes() >> 20);
    }

    /** The sum of the heap pools' peaks (each pool peaks at its own moment, so an upper bound). */
    static long heapPeakBytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
