package dev.pixelgrad.tensor.testing;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Storage;

/** A heap float array owned by a test backend ({@link LoopBackend}, {@link TestBackends#storageOnly}). */
final class HostStorage implements Storage {
    private final Backend backend;
    private float[] values;

    HostStorage(Backend backend, float[] values) {
        this.backend = backend;
        this.values = values;
    }

    /** The floats themselves; a released buffer fails, naming its backend. */
    float[] values() {
        if (values == null) {
            throw new IllegalStateException(backend.name() + " backend: buffer used after release()");
        }
        return values;
    }

    @Override
    public long size() {
        return values == null ? 0 : values.length;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    @Override
    public void release() {
        values = null;
    }

    @Override
    public boolean isReleased() {
        return values == null;
    }
}
