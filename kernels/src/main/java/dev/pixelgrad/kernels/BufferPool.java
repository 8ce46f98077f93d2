package dev.pixelgrad.kernels;

import org.jocl.cl_mem;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

import static org.jocl.CL.clReleaseMemObject;

/**
 * Released buffers kept for the next allocation of the same size. A training or optimisation loop
 * allocates the same sizes every step, and a fresh buffer is not free: on a CPU device it is new
 * host memory whose every page faults on first touch (about 12 ms for 35 MB on POCL), on a GPU a
 * driver call. Buffers are kept up to {@code capBytes} in all; beyond that, and on
 * {@link #clear()}, they are freed for real.
 *
 * <p>Reuse is safe on the runtime's single in-order queue: every command that used a buffer
 * before its release was enqueued before any command of its next owner. Releases may come from
 * the cleaner's thread, hence the locking.
 */
final class BufferPool {
    private final long capBytes;
    private final Map<Long, ArrayDeque<cl_mem>> free = new HashMap<>();
    private long heldBytes;

    BufferPool(long capBytes) {
        this.capBytes = capBytes;
    }

    /** A kept buffer of exactly {@code bytes}, or null. */
    synchronized cl_mem take(long bytes) {
        ArrayDeque<cl_mem> q = free.get(bytes);
        cl_mem m = q == null ? null : q.poll();
        if (m != null) {
            heldBytes -= bytes;
        }
        return m;
    }

    /** Keeps a released buffer, or frees it when the pool is full. */
    synchronized void give(cl_mem mem, long bytes) {
        if (heldBytes + bytes > capBytes) {
            clReleaseMemObject(mem);
            return;
        }
        free.computeIfAbsent(bytes, b -> new ArrayDeque<>()).push(mem);
        heldBytes += bytes;
    }

    /** Frees every kept buffer (when the device is full, and on close). */
    synchronized void clear() {
        free.values().forEach(q -> q.forEach(org.jocl.CL::clReleaseMemObject));
        free.clear();
        heldBytes = 0;
    }

    /** Bytes of buffers kept now. */
    synchronized long heldBytes() {
        return heldBytes;
    }
}
