package dev.pixelgrad.kernels;

import java.util.concurrent.atomic.AtomicLong;

/** Bytes of device buffers held now, and the most held at once, for a run to report its peak memory. */
final class BufferAccounting {
    private final AtomicLong live = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();

    void allocated(long bytes) {
        long now = live.addAndGet(bytes);
        peak.accumulateAndGet(now, Math::max);
    }

    void released(long bytes) {
        live.addAndGet(-bytes);
    }

    long peak() {
        return peak.get();
    }
}
