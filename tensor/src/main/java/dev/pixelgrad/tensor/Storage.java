package dev.pixelgrad.tensor;

/**
 * A flat float32 buffer owned by one backend. Only that backend's kernels read or write it; the
 * host sees its contents through {@link Backend#download} and {@link Backend#upload}.
 */
public interface Storage {
    /** Number of floats. */
    long size();

    /** The backend that owns this buffer. */
    Backend backend();

    /** Frees the buffer now instead of waiting for the garbage collector; safe to call twice. */
    void release();

    /** Whether {@link #release()} has been called. */
    boolean isReleased();
}
