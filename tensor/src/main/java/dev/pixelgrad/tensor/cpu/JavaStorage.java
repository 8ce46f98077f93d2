package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Storage;

/** A heap float array owned by the Java backend. */
final class JavaStorage implements Storage {
    private final JavaBackend backend;
    private final int size;
    private float[] array;
    /** How many times a kernel was handed the array to write: the version of its values. */
    private long writes;

    JavaStorage(JavaBackend backend, float[] array) {
        this.backend = backend;
        this.array = array;
        this.size = array.length;
    }

    /**
     * The array for a kernel that may write it: counts a write, so values derived from the array
     * and kept (Winograd's transformed weights) are derived again.
     */
    float[] arrayToWrite() {
        float[] a = array();
        writes++;
        return a;
    }

    /** The version of the values: it changes whenever a kernel may have written them. */
    long writes() {
        return writes;
    }

    float[] array() {
        if (array == null) {
            throw new IllegalStateException("java backend: buffer of " + size + " floats used after release()");
        }
        return array;
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
        array = null;
    }

    @Override
    public boolean isReleased() {
        return array == null;
    }
}
