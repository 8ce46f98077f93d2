package dev.pixelgrad.weights;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Pickle opcodes written one by one, to build the hostile files real writers never produce, and
 * the two torch.save layouts around them (legacy: magic, version, sys info, object, storage keys,
 * storages; zip: {@code archive/data.pkl} and {@code archive/data/<key>}).
 */
final class PickleWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    PickleWriter() {
        out.write(0x80);
        out.write(2);
    }

    PickleWriter op(int... opcodes) {
        for (int op : opcodes) {
            out.write(op);
        }
        return this;
    }

    PickleWriter str(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        out.writeBytes(le(4).putInt(b.length).array());
        out.writeBytes(b);
        return this;
    }

    /** An int as LONG1 (any size up to 255 bytes, little-endian two's complement). */
    PickleWriter bigInt(byte[] littleEndian) {
        out.write(0x8a);
        out.write(littleEndian.length);
        out.writeBytes(littleEndian);
        return this;
    }

    PickleWriter longInt(long v) {
        return bigInt(le(8).putLong(v).array());
    }

    PickleWriter bytesAs4(int opcode, byte[] payload) {
        out.write(opcode);
        out.writeBytes(le(4).putInt(payload.length).array());
        out.writeBytes(payload);
        return this;
    }

    PickleWriter global(String module, String name) {
        out.writeBytes(("c" + module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    PickleWriter put(int memo) {
        return op('r').raw(le(4).putInt(memo).array());
    }

    PickleWriter get(int memo) {
        return op('j').raw(le(4).putInt(memo).array());
    }

    PickleWriter raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    /** Pushes the persistent id of a float32 storage and loads it: ('storage', FloatStorage, key, 'cpu', numel). */
    PickleWriter floatStorage(String key, long numel) {
        op('(').str("storage").global("torch", "FloatStorage").str(key).str("cpu").longInt(numel).op('t', 'Q');
        return this;
    }

    /** Pushes _rebuild_tensor_v2(storage, offset, size, contiguous stride), the storage taken from the memo. */
    PickleWriter tensor(int storageMemo, long offset, long... size) {
        long[] stride = new long[size.length];
        long s = 1;
        for (int i = size.length - 1; i >= 0; i--) {
            stride[i] = s;
            s *= size[i];
        }
        global("torch._utils", "_rebuild_tensor_v2").op('(').get(storageMemo).longInt(offset).tuple(size).tuple(stride);
        return op('t', 'R');
    }

    PickleWriter tuple(long... values) {
        op('(');
        for (long v : values) {
            longInt(v);
        }
        return op('t');
    }

    byte[] stop() {
        out.write('.');
        return out.toByteArray();
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The legacy torch.save layout: magic, 1001, sys info, {@code object}, {@code keys}, then the raw storages. */
    static byte[] legacy(byte[] object, byte[] keys, byte[]... storages) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        byte[] magic = new java.math.BigInteger("1950a86a20f9469cfc6c", 16).toByteArray();
        byte[] magicLe = new byte[magic.length];
        for (int i = 0; i < magic.length; i++) {
            magicLe[i] = magic[magic.length - 1 - i];
        }
        f.writeBytes(new PickleWriter().bigInt(magicLe).stop());
        f.writeBytes(new PickleWriter().longInt(TorchLegacyReader.PROTOCOL_VERSION).stop());
        f.writeBytes(new PickleWriter().op('}').stop());
        f.writeBytes(object);
        f.writeBytes(keys);
        for (byte[] s : storages) {
            f.writeBytes(s);
        }
        return f.toByteArray();
    }

    /** A legacy storage record: int64 element count, then the elements. */
    static byte[] storageRecord(long count, byte[] elements) {
        return ByteBuffer.allocate(8 + elements.length).order(ByteOrder.LITTLE_ENDIAN).putLong(count).put(elements).array();
    }

    /** The zip layout, entries deflated: {@code archive/data.pkl} and the storages {@code archive/data/0}, ... */
    static void zip(Path file, byte[] pickle, byte[]... storages) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(pickle);
            z.closeEntry();
            for (int i = 0; i < storages.length; i++) {
                z.putNextEntry(new ZipEntry("archive/data/" + i));
                z.write(storages[i]);
                z.closeEntry();
            }
        }
    }
}
