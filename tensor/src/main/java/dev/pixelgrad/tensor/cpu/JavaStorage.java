package dev.pixelgrad.tensor.cpu;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Storage;

/** A heap float array owned by the Java backend. */
final class JavaStorage implements Storage {
    private final JavaBackend backend;
    private final int size;
    private float[] array;

    JavaStorage(JavaBackend backend, float[] array) {
        this.backend = backend;
        this.array = array;
        this.size = array.length;
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
