package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Storage;
import org.jocl.cl_mem;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

import static org.jocl.CL.clReleaseMemObject;

/**
 * A device buffer of floats. {@link #release()} frees it at once; a {@link Cleaner} frees buffers
 * that become unreachable without being released, as a safety net only (device memory is scarcer
 * than the garbage collector knows).
 *
 * <p>Every write to the buffer (a kernel that takes it as an argument not declared read-only,
 * a copy into it) gives it a new {@link #writeStamp()}, so what was derived from its values
 * (Winograd's transformed weights) can be kept while the stamp stays the same.
 */
public final class OpenClStorage implements Storage {
    private static final Cleaner CLEANER = Cleaner.create();
    /** Stamps come from one counter, so no two buffers or writes ever share one. */
    private static final AtomicLong STAMPS = new AtomicLong();

    private final Backend backend;
    private final long size;
    private final Handle handle;
    private final Cleaner.Cleanable cleanable;
    private volatile long writeStamp = STAMPS.incrementAndGet();

    /** Holds the cl_mem apart from the storage so the cleaner does not keep the storage alive. */
    private static final class Handle implements Runnable {
        private volatile cl_mem mem;
        private final BufferAccounting accounting;
        private final BufferPool pool;
        private final long bytes;

        Handle(cl_mem mem, BufferAccounting accounting, BufferPool pool, long bytes) {
            this.mem = mem;
            this.accounting = accounting;
            this.pool = pool;
            this.bytes = bytes;
            accounting.allocated(bytes);
        }

        @Override
        public synchronized void run() {
            if (mem != null) {
                if (pool != null) {
                    pool.give(mem, bytes);
                } else {
                    clReleaseMemObject(mem);
                }
                mem = null;
                accounting.released(bytes);
            }
        }
    }

    /**
     * {@code backend} is the one the buffer reports as owner ({@link ClRuntime}'s owner); on
     * release the buffer goes back to {@code pool} (null: freed at once).
     */
    OpenClStorage(Backend backend, cl_mem mem, long size, BufferAccounting accounting, BufferPool pool) {
        this.backend = backend;
        this.size = size;
        this.handle = new Handle(mem, accounting, pool, bytes(size));
        this.cleanable = CLEANER.register(this, handle);
    }

    /** The bytes a buffer of {@code size} floats takes (at least one float: OpenCL has no empty buffers). */
    static long bytes(long size) {
        return Math.max(1, size) * Float.BYTES;
    }

    /** Changes whenever the buffer may have been written (a new buffer starts with a stamp of its own). */
    long writeStamp() {
        return writeStamp;
    }

    /** Records that a kernel or copy (already enqueued) may write the buffer. */
    void markWritten() {
        writeStamp = STAMPS.incrementAndGet();
    }

    cl_mem mem() {
        cl_mem m = handle.mem;
        if (m == null) {
            throw new IllegalStateException("opencl: buffer of " + size + " floats used after release()");
        }
        return m;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public void release() {
        cleanable.clean();
    }

    @Override
    public boolean isReleased() {
        return handle.mem == null;
    }
}
