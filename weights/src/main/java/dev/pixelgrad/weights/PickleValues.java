package dev.pixelgrad.weights;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The values {@link RestrictedUnpickler} builds beyond Java's own (a global's name, a storage, a
 * tensor view), the conversions of pickled integers and byte strings, and the Python type of any
 * value for error messages.
 */
final class PickleValues {
    private PickleValues() {
    }

    /** A global named by the pickle, e.g. torch._utils._rebuild_tensor_v2. */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** A storage referenced through a persistent id: its key, element type and element count. */
    record StorageRef(String key, DType dtype, long numel) {
    }

    /** A tensor view of a storage: offset and stride in elements. */
    record TensorRef(StorageRef storage, long offset, int[] size, long[] stride) {
    }

    /** A little-endian two's-complement integer (LONG1, LONG4): a Long when it fits, else a BigInteger. */
    static Object longFrom(byte[] le) {
        if (le.length == 0) {
            return 0L;
        }
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    /** Python 2 byte strings (BINSTRING) read as text, one char per byte. */
    static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** The Python type of a value (a global by its name), for messages. */
    static String describe(Object o) {
        if (o == null) {
            return "None";
        }
        if (o instanceof Global g) {
            return g.qualified();
        }
        if (o instanceof List<?>) {
            return o instanceof ArrayList ? "list" : "tuple";
        }
        if (o instanceof Map<?, ?>) {
            return "dict";
        }
        if (o instanceof Long || o instanceof BigInteger) {
            return "int";
        }
        if (o instanceof TensorRef) {
            return "tensor";
        }
        if (o instanceof StorageRef) {
            return "storage";
        }
        return switch (o.getClass().getSimpleName()) {
            case "String" -> "str";
            case "Double" -> "float";
            case "Boolean" -> "bool";
            case "byte[]" -> "bytes";
            default -> o.getClass().getSimpleName();
        };
    }
}
