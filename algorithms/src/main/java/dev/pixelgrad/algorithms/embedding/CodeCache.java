package dev.pixelgrad.algorithms.embedding;

import dev.pixelgrad.nn.Vgg;
import dev.pixelgrad.tensor.Tensor;
import dev.pixelgrad.tensor.io.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Codes computed before, kept on disk so that a second map of the same folder does not run the
 * network again: one file per (weights, layer, input size), holding each image's code under the
 * SHA-256 of the image file's bytes (a renamed file still hits, an edited one does not).
 *
 * <p>File layout, little-endian: the magic {@code PGCODES1}, the code length D (int), the count
 * (int), then per image its 32-byte hash and D floats. A file that does not read back as that is
 * ignored with a warning and rewritten: a cache only ever costs a recomputation.
 */
public final class CodeCache {
    private static final byte[] MAGIC = "PGCODES1".getBytes(StandardCharsets.US_ASCII);
    private static final int HASH_BYTES = 32;
    /** Parameters up to this many values go into the weights' fingerprint in full (all biases, the early convs). */
    private static final int FINGERPRINT_VALUES = 1 << 16;

    private final Path file;
    private final Map<String, float[]> codes = new LinkedHashMap<>();
    private boolean changed;

    private CodeCache(Path file) {
        this.file = file;
    }

    /** The cache of one network's codes at one layer, for inputs of side {@code size}, under {@code dir}. */
    public static CodeCache open(Path dir, Vgg vgg, String layer, int size) {
        CodeCache cache = new CodeCache(dir.resolve(fingerprint(vgg) + "-" + layer + "-" + size + ".codes"));
        cache.load();
        return cache;
    }

    /** The file this cache reads and writes. */
    public Path file() {
        return file;
    }

    /** How many codes it holds. */
    public int size() {
        return codes.size();
    }

    /** The code stored for an image file's bytes, or null. */
    public float[] get(String imageHash) {
        return codes.get(imageHash);
    }

    public void put(String imageHash, float[] code) {
        if (!codes.isEmpty() && codes.values().iterator().next().length != code.length) {
            throw new IllegalArgumentException("code cache " + file + ": codes of " + codes.values().iterator().next().length
                    + " values, got one of " + code.length);
        }
        codes.put(imageHash, code.clone());
        changed = true;
    }

    /** Writes the file (atomically) when something was added since it was read. */
    public void save() throws IOException {
        if (!changed || codes.isEmpty()) {
            return;
        }
        int d = codes.values().iterator().next().length;
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 8 + codes.size() * (HASH_BYTES + 4 * d)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(d).putInt(codes.size());
        codes.forEach((hash, code) -> {
            b.put(HexFormat.of().parseHex(hash));
            b.asFloatBuffer().put(code);
            b.position(b.position() + 4 * d);
        });
        AtomicFiles.writeBytes(file, b.array());
        changed = false;
    }

    private void load() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
            byte[] magic = new byte[MAGIC.length];
            b.get(magic);
            int d = b.getInt(), n = b.getInt();
            if (!Arrays.equals(magic, MAGIC) || d <= 0 || n < 0
                    || b.remaining() != (long) n * (HASH_BYTES + 4L * d)) {
                throw new IOException("not a code cache of the expected layout");
            }
            byte[] hash = new byte[HASH_BYTES];
            for (int i = 0; i < n; i++) {
                b.get(hash);
                float[] code = new float[d];
                b.asFloatBuffer().get(code);
                b.position(b.position() + 4 * d);
                codes.put(HexFormat.of().formatHex(hash), code);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("code cache " + file + ": ignored and rewritten (" + e.getMessage() + ")");
            codes.clear();
        }
    }

    /** The SHA-256 of an image file's bytes, in hex: the key of its code. */
    public static String hashOf(Path imageFile) throws IOException {
        return hashOf(Files.readAllBytes(imageFile));
    }

    /** The SHA-256 of an image file's bytes (read already), in hex. */
    public static String hashOf(byte[] imageFileBytes) {
        return HexFormat.of().formatHex(sha256().digest(imageFileBytes));
    }

    /**
     * Sixteen hex digits that tell weights apart: the architecture, preprocessing and pooling, every
     * parameter's name and shape, and the values of the small ones (every bias and the first
     * convolutions), so that reading them costs nothing next to a forward pass.
     */
    static String fingerprint(Vgg vgg) {
        MessageDigest md = sha256();
        md.update((vgg.spec().arch().id() + "|" + vgg.preprocessing().id() + "|" + vgg.pooling()).getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, Tensor> p : new TreeMap<>(vgg.parameters()).entrySet()) {
            Tensor t = p.getValue();
            md.update((p.getKey() + t.shape()).getBytes(StandardCharsets.UTF_8));
            if (t.shape().numel() <= FINGERPRINT_VALUES) {
                float[] v = t.toArray();
                ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                md.update(b.array());
            }
        }
        return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
