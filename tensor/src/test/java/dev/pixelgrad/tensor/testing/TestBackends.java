package dev.pixelgrad.tensor.testing;

import dev.pixelgrad.tensor.Backend;

import java.lang.reflect.Proxy;

/** Backends for tests that need a second, distinct backend. */
public final class TestBackends {
    private TestBackends() {
    }

    /**
     * A backend named {@code name} that can hold buffers (allocate, upload, download, fill) and
     * computes nothing: any kernel call throws {@link UnsupportedOperationException}. Enough to
     * check that ops refuse tensors from two different backends before running a kernel.
     */
    public static Backend storageOnly(String name) {
        Backend[] self = new Backend[1];
        self[0] = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[]{Backend.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "name", "toString" -> name;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "allocate" -> new HostStorage(self[0], new float[Math.toIntExact((Long) args[0])]);
                    case "upload" -> new HostStorage(self[0], ((float[]) args[0]).clone());
                    case "download" -> {
                        float[] src = ((HostStorage) args[0]).values();
                        System.arraycopy(src, 0, (float[]) args[1], 0, src.length);
                        yield null;
                    }
                    case "fill" -> {
                        java.util.Arrays.fill(((HostStorage) args[0]).values(), 0, Math.toIntExact((Long) args[2]), (Float) args[1]);
                        yield null;
                    }
                    case "finish" -> null;
                    default -> throw new UnsupportedOperationException(name + " backend: " + method.getName()
                            + " is not implemented (a storage-only test double)");
                });
        return self[0];
    }
}
