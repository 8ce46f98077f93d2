package dev.pixelgrad.tensor.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A reader for NumPy {@code .npy} files holding float32 little-endian arrays in C order, the
 * format the parity fixtures use. The file is a magic string, a version, a header length and a
 * Python dict such as {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }},
 * followed by the raw elements.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** An array: its shape (empty for a 0-d array, which holds one element) and its elements. */
    public record Array(int[] shape, float[] data) {
        @Override
        public String toString() {
            return "npy" + Arrays.toString(shape);
        }
    }

    private Npy() {
    }

    public static Array read(Path path) {
        try {
            return parse(Files.readAllBytes(path), path.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("npy: cannot read " + path, e);
        }
    }

    /** Reads a whole stream; {@code name} names it in errors. */
    public static Array read(InputStream in, String name) {
        try (in) {
            return parse(in.readAllBytes(), name);
        } catch (IOException e) {
            throw new UncheckedIOException("npy: cannot read " + name, e);
        }
    }

    static Array parse(byte[] bytes, String name) {
        if (bytes.length < 10 || !Arrays.equals(Arrays.copyOf(bytes, 6), MAGIC)) {
            throw new IllegalArgumentException("npy: " + name + " does not start with the .npy magic \\x93NUMPY");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerLen, headerStart;
        if (major == 1) {
            headerLen = Short.toUnsignedInt(buf.getShort(8));
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            headerLen = buf.getInt(8);
            headerStart = 12;
        } else {
            throw new IllegalArgumentException("npy: " + name + " has format version " + major + "; expected 1, 2 or 3");
        }
        String header = new String(bytes, headerStart, headerLen, StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, name, "descr");
        if (!descr.equals("<f4")) {
            throw new IllegalArgumentException("npy: " + name + " holds dtype '" + descr
                    + "'; expected float32 little-endian '<f4' (save with a.astype('<f4'))");
        }
        if (group(FORTRAN, header, name, "fortran_order").equals("True")) {
            throw new IllegalArgumentException("npy: " + name + " is in Fortran order; expected C order");
        }
        int[] shape = Arrays.stream(group(SHAPE, header, name, "shape").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        int dataStart = headerStart + headerLen;
        if (bytes.length - dataStart != n * 4) {
            throw new IllegalArgumentException("npy: " + name + " has shape " + Arrays.toString(shape) + " (" + n
                    + " floats) but " + (bytes.length - dataStart) + " bytes of data; expected " + n * 4);
        }
        float[] data = new float[(int) n];
        buf.position(dataStart);
        buf.asFloatBuffer().get(data);
        return new Array(shape, data);
    }

    private static String group(Pattern p, String header, String name, String key) {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException("npy: " + name + " header has no '" + key + "': " + header.trim());
        }
        return m.group(1);
    }
}
