package dev.pixelgrad.kernels;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts host-device transfers of one backend. An optimisation loop should show none per
 * iteration beyond the loss it chooses to read. With {@code PIXELGRAD_DEBUG=transfers} (or
 * {@code -Dpixelgrad.debug=transfers}) every transfer is also logged on standard error.
 */
public final class TransferCounter {
    private final AtomicLong uploads = new AtomicLong();
    private final AtomicLong downloads = new AtomicLong();
    private final AtomicLong scalarReads = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final boolean log = debugEnabled();

    static boolean debugEnabled() {
        String p = System.getProperty("pixelgrad.debug");
        String e = System.getenv("PIXELGRAD_DEBUG");
        return (p != null && p.contains("transfers")) || (e != null && e.contains("transfers"));
    }

    void upload(long nBytes) {
        uploads.incrementAndGet();
        record("upload", nBytes);
    }

    void download(long nBytes) {
        downloads.incrementAndGet();
        record("download", nBytes);
    }

    void scalarRead(long nBytes) {
        scalarReads.incrementAndGet();
        record("scalar read", nBytes);
    }

    private void record(String what, long nBytes) {
        bytes.addAndGet(nBytes);
        if (log) {
            System.err.println("debug: opencl transfer: " + what + " of " + nBytes + " bytes; " + this);
        }
    }

    public long uploads() {
        return uploads.get();
    }

    public long downloads() {
        return downloads.get();
    }

    public long scalarReads() {
        return scalarReads.get();
    }

    /** Uploads + downloads + scalar reads. */
    public long total() {
        return uploads() + downloads() + scalarReads();
    }

    public long bytes() {
        return bytes.get();
    }

    public void reset() {
        uploads.set(0);
        downloads.set(0);
        scalarReads.set(0);
        bytes.set(0);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "uploads=%d downloads=%d scalar reads=%d (%.1f MiB)",
                uploads(), downloads(), scalarReads(), bytes() / 1048576.0);
    }
}
