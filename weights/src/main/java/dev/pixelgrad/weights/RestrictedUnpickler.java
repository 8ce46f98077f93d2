package dev.pixelgrad.weights;

import dev.pixelgrad.weights.PickleValues.Global;
import dev.pixelgrad.weights.PickleValues.StorageRef;
import dev.pixelgrad.weights.PickleValues.TensorRef;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.pixelgrad.weights.PickleValues.describe;
import static dev.pixelgrad.weights.PickleValues.latin1;
import static dev.pixelgrad.weights.PickleValues.longFrom;

/**
 * A pickle reader that only rebuilds data. It implements the opcodes torch.save writes (protocol
 * 2, plus the few protocol 4 ones that newer writers use) and accepts only the globals needed to
 * rebuild tensors and ordered dicts. Any other global (os.system, builtins.eval, ...) is refused
 * the moment it is named, before anything could call it; nothing from the file is ever executed.
 *
 * <p>Python values become: None -> null, bool -> Boolean, int -> Long or BigInteger, float ->
 * Double, str -> String, bytes -> byte[], tuple -> unmodifiable List, list -> ArrayList, dict and
 * OrderedDict -> LinkedHashMap, a tensor -> {@link TensorRef}.
 *
 * <p>A hostile pickle can also try to make the reader work or allocate far beyond its size. Every
 * opcode pushes at most one value, so the stack and memo grow with the bytes read; what could
 * multiply them is refused: dict keys must be scalars as in a state dict (str, int, float, bool,
 * None), never containers, whose hashing can recurse forever (a list that holds itself) or take
 * exponential time (a tuple of tuples shared through the memo); tensor sizes and strides have at
 * most {@link ShapeClaims#MAX_DIMS} entries; and the items OrderedDict copies from a list of pairs
 * are counted against the pickle's length, since one memoised list can be passed to it over and
 * over.
 */
final class RestrictedUnpickler {
    /** Resolves persistent ids (torch storages). */
    interface PersistentLoader {
        Object load(Object pid);
    }

    static final Map<String, DType> STORAGE_TYPES = Map.of(
            "FloatStorage", DType.F32, "HalfStorage", DType.F16, "BFloat16Storage", DType.BF16, "DoubleStorage", DType.F64,
            "LongStorage", DType.I64, "IntStorage", DType.I32, "ShortStorage", DType.I16, "CharStorage", DType.I8,
            "ByteStorage", DType.U8, "BoolStorage", DType.BOOL);

    static final Set<String> ALLOWED_CALLS = Set.of(
            "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor",
            "torch._utils._rebuild_parameter");

    private static final Object MARK = new Object() {
        @Override
        public String toString() {
            return "MARK";
        }
    };

    private final ByteCursor in;
    private final PersistentLoader persistentLoader;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    /** Items copied out of existing containers, which may not exceed the pickle's own length. */
    private long copied;

    RestrictedUnpickler(ByteCursor in, PersistentLoader persistentLoader) {
        this.in = in;
        this.persistentLoader = persistentLoader;
    }

    static boolean isAllowed(String module, String name) {
        String q = module + "." + name;
        return ALLOWED_CALLS.contains(q) || (module.equals("torch") && STORAGE_TYPES.containsKey(name));
    }

    /** Reads one pickle, up to and including its STOP opcode, and returns its value. */
    Object load() {
        stack.clear();
        marks.clear();
        memo.clear();
        copied = 0;
        while (true) {
            int at = in.position();
            int op = in.u8("pickle opcode");
            switch (op) {
                case 0x80 -> { // PROTO
                    int v = in.u8("pickle protocol");
                    if (v > 5) {
                        throw error(at, "pickle protocol " + v + " is newer than the 5 this reader knows");
                    }
                }
                case 0x95 -> in.i64("FRAME length"); // framing is only a hint for buffered readers
                case '.' -> { // STOP
                    Object v = pop(at);
                    return v;
                }
                case '(' -> {
                    marks.add(stack.size());
                    stack.add(MARK);
                }
                case ')' -> stack.add(Collections.emptyList());
                case ']' -> stack.add(new ArrayList<>());
                case '}' -> stack.add(new LinkedHashMap<>());
                case 'N' -> stack.add(null);
                case 0x88 -> stack.add(Boolean.TRUE);
                case 0x89 -> stack.add(Boolean.FALSE);
                case 'K' -> stack.add((long) in.u8("BININT1"));
                case 'M' -> stack.add((long) in.u16("BININT2"));
                case 'J' -> stack.add((long) in.i32("BININT"));
                case 0x8a -> stack.add(longFrom(in.bytes(in.u8("LONG1 length"), "LONG1")));
                case 0x8b -> stack.add(longFrom(in.bytes(length(in.i32("LONG4 length"), at), "LONG4")));
                case 'G' -> stack.add(in.f64BigEndian("BINFLOAT"));
                case 'X' -> stack.add(in.utf8(length(in.i32("BINUNICODE length"), at), "BINUNICODE"));
                case 0x8c -> stack.add(in.utf8(in.u8("SHORT_BINUNICODE length"), "SHORT_BINUNICODE"));
                case 'T' -> stack.add(latin1(in.bytes(length(in.i32("BINSTRING length"), at), "BINSTRING")));
                case 'U' -> stack.add(latin1(in.bytes(in.u8("SHORT_BINSTRING length"), "SHORT_BINSTRING")));
                case 'B' -> stack.add(in.bytes(length(in.i32("BINBYTES length"), at), "BINBYTES"));
                case 'C' -> stack.add(in.bytes(in.u8("SHORT_BINBYTES length"), "SHORT_BINBYTES"));
                case 't' -> stack.add(tuple(popMark(at)));
                case 0x85 -> stack.add(tuple(List.of(wrapNull(pop(at)))));
                case 0x86 -> {
                    Object b = pop(at), a = pop(at);
                    stack.add(tuple(Arrays.asList(a, b)));
                }
                case 0x87 -> {
                    Object c = pop(at), b = pop(at), a = pop(at);
                    stack.add(tuple(Arrays.asList(a, b, c)));
                }
                case 'l' -> stack.add(new ArrayList<>(popMark(at)));
                case 'd' -> {
                    List<Object> items = popMark(at);
                    Map<Object, Object> d = new LinkedHashMap<>();
                    for (int i = 0; i + 1 < items.size(); i += 2) {
                        put(d, items.get(i), items.get(i + 1), at);
                    }
                    stack.add(d);
                }
                case 'a' -> {
                    Object v = pop(at);
                    list(peek(at), at).add(v);
                }
                case 'e' -> {
                    List<Object> items = popMark(at);
                    list(peek(at), at).addAll(items);
                }
                case 's' -> {
                    Object v = pop(at), k = pop(at);
                    put(dict(peek(at), at), k, v, at);
                }
                case 'u' -> {
                    List<Object> items = popMark(at);
                    Map<Object, Object> d = dict(peek(at), at);
                    if (items.size() % 2 != 0) {
                        throw error(at, "SETITEMS with an odd number of items");
                    }
                    for (int i = 0; i < items.size(); i += 2) {
                        put(d, items.get(i), items.get(i + 1), at);
                    }
                }
                case 'q' -> memo.put((long) in.u8("BINPUT index"), peek(at));
                case 'r' -> memo.put(in.i32("LONG_BINPUT index") & 0xffffffffL, peek(at));
                case 0x94 -> memo.put((long) memo.size(), peek(at));
                case 'h' -> stack.add(memoGet(in.u8("BINGET index"), at));
                case 'j' -> stack.add(memoGet(in.i32("LONG_BINGET index") & 0xffffffffL, at));
                case 'c' -> {
                    String module = line("GLOBAL module");
                    String name = line("GLOBAL name");
                    stack.add(global(module, name, at));
                }
                case 0x93 -> {
                    Object name = pop(at), module = pop(at);
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw error(at, "STACK_GLOBAL expects two strings");
                    }
                    stack.add(global(m, n, at));
                }
                case 'R' -> {
                    Object args = pop(at), func = pop(at);
                    stack.add(call(func, args, at));
                }
                case 0x81 -> { // NEWOBJ: cls.__new__(cls, *args); only OrderedDict is allowed here
                    Object args = pop(at), cls = pop(at);
                    stack.add(call(cls, args, at));
                }
                case 'b' -> { // BUILD: attribute state (OrderedDict._metadata) carries no weights
                    pop(at);
                    Object target = peek(at);
                    if (!(target instanceof Map) && !(target instanceof TensorRef)) {
                        throw error(at, "BUILD on " + describe(target) + " is not something a weight file needs");
                    }
                }
                case 'Q' -> stack.add(persistentLoader.load(pop(at)));
                case '0' -> pop(at);
                case '1' -> popMark(at);
                case '2' -> stack.add(peek(at));
                default -> throw error(at, String.format("unsupported pickle opcode 0x%02x", op)
                        + "; this reader implements the opcodes torch.save writes");
            }
        }
    }

    private Object global(String module, String name, int at) {
        if (!isAllowed(module, name)) {
            TreeSet<String> allowed = new TreeSet<>(ALLOWED_CALLS);
            allowed.add("torch.<Type>Storage");
            throw new WeightFileException(in.file(), "the pickle names the global '" + module + "." + name + "' (offset " + at
                    + "), which a weight file has no use for; refusing to load it (nothing in the file was run). Allowed: "
                    + String.join(", ", allowed));
        }
        return new Global(module, name);
    }

    private Object call(Object func, Object args, int at) {
        if (!(func instanceof Global g)) {
            throw error(at, "REDUCE on " + describe(func) + ", which is not a callable global");
        }
        List<Object> a = args instanceof List<?> l ? castList(l) : null;
        if (a == null) {
            throw error(at, "REDUCE of " + g.qualified() + " with arguments " + describe(args) + " (expected a tuple)");
        }
        switch (g.qualified()) {
            case "collections.OrderedDict" -> {
                Map<Object, Object> d = new LinkedHashMap<>();
                if (!a.isEmpty() && a.get(0) instanceof List<?> pairs) {
                    copied += pairs.size();
                    if (copied > in.limit()) {
                        throw error(at, "OrderedDict has copied " + copied + " items from lists of pairs, more than the "
                                + in.limit() + " bytes of the pickle could have built; the same list is passed over and over");
                    }
                    for (Object p : pairs) {
                        if (p instanceof List<?> kv && kv.size() == 2) {
                            put(d, kv.get(0), kv.get(1), at);
                        }
                    }
                }
                return d;
            }
            case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor" -> {
                if (a.size() < 4 || !(a.get(0) instanceof StorageRef s) || !(a.get(1) instanceof Long offset)) {
                    throw error(at, g.qualified() + " expects (storage, offset, size, stride, ...), got " + describe(args));
                }
                return new TensorRef(s, offset, ints(a.get(2), at), longs(a.get(3), at));
            }
            case "torch._utils._rebuild_parameter" -> {
                if (a.isEmpty()) {
                    throw error(at, "_rebuild_parameter without arguments");
                }
                return a.get(0);
            }
            default -> throw error(at, g.qualified() + " is a type, not something the file may call");
        }
    }

    private int[] ints(Object o, int at) {
        return ShapeClaims.shape(in.file(), "tensor size at pickle offset " + at, longs(o, at));
    }

    private long[] longs(Object o, int at) {
        if (!(o instanceof List<?> l)) {
            throw error(at, "expected a tuple of ints, got " + describe(o));
        }
        if (l.size() > ShapeClaims.MAX_DIMS) {
            throw error(at, "a tensor size or stride of " + l.size() + " entries; at most " + ShapeClaims.MAX_DIMS + " are supported");
        }
        long[] r = new long[l.size()];
        for (int i = 0; i < r.length; i++) {
            if (!(l.get(i) instanceof Long v)) {
                throw error(at, "expected a tuple of ints, got " + describe(o));
            }
            r[i] = v;
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> castList(List<?> l) {
        return (List<Object>) l;
    }

    /**
     * d[k] = v, for the keys a weight file's dicts have. Python itself refuses lists and dicts as
     * keys; tuples are refused too, since hashing one that nests shared tuples takes exponential time.
     */
    private void put(Map<Object, Object> d, Object k, Object v, int at) {
        if (!(k == null || k instanceof String || k instanceof Long || k instanceof Double || k instanceof Boolean)) {
            throw error(at, "a dict key is a " + (k instanceof BigInteger ? "big int" : describe(k))
                    + "; a weight file's dicts are keyed by names and small numbers");
        }
        d.put(k, v);
    }

    private Object memoGet(long index, int at) {
        if (!memo.containsKey(index)) {
            throw error(at, "memo index " + index + " was never stored");
        }
        return memo.get(index);
    }

    private String line(String what) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 256; i++) {
            int c = in.u8(what);
            if (c == '\n') {
                return sb.toString();
            }
            sb.append((char) c);
        }
        throw error(in.position(), what + " longer than 256 characters");
    }

    private long length(int n, int at) {
        if (n < 0) {
            throw error(at, "negative length " + n);
        }
        return n;
    }

    private static List<Object> tuple(List<Object> items) {
        List<Object> copy = new ArrayList<>(items.size());
        for (Object o : items) {
            copy.add(o == NULL_IN_LIST ? null : o);
        }
        return Collections.unmodifiableList(copy);
    }

    private static final Object NULL_IN_LIST = new Object();

    private static Object wrapNull(Object o) {
        return o == null ? NULL_IN_LIST : o;
    }

    private Object pop(int at) {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw error(at, "stack underflow");
        }
        return stack.remove(stack.size() - 1);
    }

    private Object peek(int at) {
        if (stack.isEmpty() || stack.get(stack.size() - 1) == MARK) {
            throw error(at, "stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark(int at) {
        if (marks.isEmpty()) {
            throw error(at, "no MARK to pop to");
        }
        int m = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o, int at) {
        if (o instanceof ArrayList<?> l) {
            return (List<Object>) l;
        }
        throw error(at, "APPEND to " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o, int at) {
        if (o instanceof Map<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw error(at, "SETITEM on " + describe(o));
    }

    private WeightFileException error(int at, String msg) {
        return new WeightFileException(in.file(), "corrupt or unsupported pickle at offset " + at + ": " + msg);
    }
}
