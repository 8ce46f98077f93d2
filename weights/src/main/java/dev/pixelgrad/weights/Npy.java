package dev.pixelgrad.weights;

import dev.pixelgrad.tensor.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * NumPy {@code .npy} arrays of float32 (version 1.0): the magic {@code \x93NUMPY}, version bytes,
 * a little-endian u16 header length, a Python-dict header padded with spaces to a multiple of 64
 * bytes and ending in a newline, then the C-order data.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");

    /** A float32 array. */
    public record Array(int[] shape, float[] data) {
    }

    private Npy() {
    }

    /** Writes a float32 array atomically. */
    public static void write(Path out, int[] shape, float[] data) throws IOException {
        if (RawTensor.numel(shape) != data.length) {
            throw new IllegalArgumentException("npy: shape " + Arrays.toString(shape) + " does not hold " + data.length + " values");
        }
        String dims = Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + (shape.length == 1 ? "," : "") + "), }";
        int total = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        b.asFloatBuffer().put(data);
        b.position(b.capacity()).flip();
        AtomicFiles.write(out, ch -> {
            while (b.hasRemaining()) {
                ch.write(b);
            }
        });
    }

    /**
     * Reads a little-endian float32 (or float64, narrowed) C-order array, version 1.0, 2.0 or 3.0.
     * The shape is checked against the bytes that follow the header before anything is allocated.
     */
    public static Array read(Path file) throws IOException {
        ByteCursor in = ByteCursor.map(file);
        if (in.remaining() < 10) {
            throw new WeightFileException(file, "too short for a .npy file (" + in.remaining() + " bytes)");
        }
        if (!Arrays.equals(in.bytes(MAGIC.length, "magic"), MAGIC)) {
            throw new WeightFileException(file, "not a .npy file (bad magic); expected it to start with \\x93NUMPY");
        }
        int major = in.u8("major version"), minor = in.u8("minor version");
        long headerLen = switch (major) {
            case 1 -> in.u16("header length");
            case 2, 3 -> in.i32("header length") & 0xffffffffL;
            default -> throw new WeightFileException(file, ".npy version " + major + "." + minor + " is not supported; expected 1.0, 2.0 or 3.0");
        };
        String header = major == 3 ? in.utf8(headerLen, "header") : new String(in.bytes(headerLen, "header"), StandardCharsets.ISO_8859_1);
        if (header.contains("'fortran_order': True")) {
            throw new WeightFileException(file, "Fortran-order arrays are not supported");
        }
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) {
            throw new WeightFileException(file, "header without descr or shape: " + Excerpt.of(header.trim()));
        }
        int size = switch (d.group(1)) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            default -> throw new WeightFileException(file, "dtype " + Excerpt.of(d.group(1)) + " not supported; expected <f4 or <f8");
        };
        int[] shape = ShapeClaims.shape(file, "the array", dims(file, s.group(1)));
        long numel = ShapeClaims.numel(shape);
        long needed = ShapeClaims.times(numel, size);
        if (needed > in.remaining()) {
            throw new WeightFileException(file, "shape " + Arrays.toString(shape) + " of " + d.group(1) + " needs "
                    + (needed == Long.MAX_VALUE ? "over 2^63" : needed) + " bytes of data but " + in.remaining() + " follow the header (truncated?)");
        }
        float[] data = Decode.toFloat(in.buffer(), size == 4 ? DType.F32 : DType.F64, (int) numel);
        return new Array(shape, data);
    }

    /** The dimensions of a shape tuple's text, e.g. "2, 3" or "2," or "". */
    private static long[] dims(Path file, String tuple) {
        String[] parts = tuple.split(",");
        long[] dims = new long[parts.length];
        int n = 0;
        for (String p : parts) {
            if (!p.isBlank()) {
                try {
                    dims[n++] = Long.parseLong(p.strip());
                } catch (NumberFormatException e) {
                    throw new WeightFileException(file, "shape (" + Excerpt.of(tuple) + ") holds " + Excerpt.of(p.strip())
                            + ", which is not a dimension");
                }
            }
        }
        return Arrays.copyOf(dims, n);
    }
}
