package dev.pixelgrad.weights;

import dev.pixelgrad.weights.PickleValues.Global;
import dev.pixelgrad.weights.PickleValues.StorageRef;
import dev.pixelgrad.weights.PickleValues.TensorRef;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Values read from a file, shown in error messages at a bounded length. A corrupt or hostile file
 * can hold a value whose full text is enormous (a list nested in itself, a tuple of tuples that
 * doubles at every level through the pickle memo, a 10 MB integer): an excerpt shows at most
 * {@link #ITEMS} items of each container, {@link #DEPTH} levels deep, and strings and numbers cut
 * to {@link #CHARS} characters, so it costs little to build whatever the value.
 */
final class Excerpt {
    static final int ITEMS = 4, DEPTH = 3, CHARS = 80;

    private Excerpt() {
    }

    /** A pickled value (None, bool, int, float, str, bytes, tuple, list, dict, global, tensor). */
    static String of(Object o) {
        StringBuilder sb = new StringBuilder();
        append(sb, o, DEPTH);
        return sb.toString();
    }

    /** The first {@link #CHARS} characters of a text, saying how long it was when cut. */
    static String of(String s) {
        return s.length() <= CHARS ? s : s.substring(0, CHARS) + "... (" + s.length() + " characters)";
    }

    private static void append(StringBuilder sb, Object o, int depth) {
        if (o == null) {
            sb.append("None");
        } else if (o instanceof String s) {
            sb.append('\'').append(of(s)).append('\'');
        } else if (o instanceof BigInteger b && b.bitLength() > 4 * CHARS) {
            sb.append("an int of ").append(b.bitLength()).append(" bits");
        } else if (o instanceof byte[] b) {
            sb.append("bytes[").append(b.length).append(']');
        } else if (o instanceof Global g) {
            sb.append(of(g.qualified()));
        } else if (o instanceof TensorRef t) {
            sb.append("tensor").append(Arrays.toString(t.size()));
        } else if (o instanceof StorageRef s) {
            sb.append("storage ").append(of(s.key()));
        } else if (o instanceof Collection<?> c) {
            boolean tuple = c instanceof List && !(c instanceof ArrayList);
            items(sb, c.iterator(), c.size(), depth, tuple ? "(" : "[", tuple ? ")" : "]");
        } else if (o instanceof Map<?, ?> m) {
            items(sb, m.entrySet().iterator(), m.size(), depth, "{", "}");
        } else if (o instanceof Map.Entry<?, ?> e) {
            append(sb, e.getKey(), depth);
            sb.append(": ");
            append(sb, e.getValue(), depth);
        } else {
            sb.append(of(String.valueOf(o)));
        }
    }

    private static void items(StringBuilder sb, Iterator<?> it, int size, int depth, String open, String close) {
        if (depth == 0) {
            sb.append(open).append("...").append(close);
            return;
        }
        sb.append(open);
        for (int i = 0; i < ITEMS && it.hasNext(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            append(sb, it.next(), depth - 1);
        }
        if (size > ITEMS) {
            sb.append(", ... (").append(size).append(" items)");
        }
        sb.append(close);
    }
}
