package dev.pixelgrad.weights;

import dev.pixelgrad.tensor.io.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    /** Reads a little-endian float32 (or float64, narrowed) C-order array. */
    public static Array read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[6];
        if (b.remaining() < 10) {
            throw new WeightFileException(file, "too short for a .npy file");
        }
        b.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new WeightFileException(file, "not a .npy file (bad magic)");
        }
        int major = b.get();
        b.get();
        int headerLen = major == 1 ? b.getShort() & 0xffff : b.getInt();
        byte[] h = new byte[headerLen];
        b.get(h);
        String header = new String(h, StandardCharsets.US_ASCII);
        if (header.contains("'fortran_order': True")) {
            throw new WeightFileException(file, "Fortran-order arrays are not supported");
        }
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) {
            throw new WeightFileException(file, "header without descr or shape: " + header.trim());
        }
        int[] shape = Arrays.stream(s.group(1).split(",")).map(String::trim).filter(x -> !x.isEmpty()).mapToInt(Integer::parseInt).toArray();
        int n = (int) RawTensor.numel(shape);
        float[] data = new float[n];
        switch (d.group(1)) {
            case "<f4" -> b.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
            case "<f8" -> {
                var db = b.slice().order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
                for (int i = 0; i < n; i++) {
                    data[i] = (float) db.get(i);
                }
            }
            default -> throw new WeightFileException(file, "dtype " + d.group(1) + " not supported; expected <f4 or <f8");
        }
        return new Array(shape, data);
    }
}
