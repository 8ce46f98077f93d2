package dev.pixelgrad.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A little-endian read cursor over a buffer (usually a memory-mapped file) in which every read is
 * bounds-checked: running past the end is reported as a truncated file, naming the file, the
 * offset and what was being read.
 */
final class ByteCursor {
    private final Path file;
    private final ByteBuffer buf;
    private final long base; // offset of buf's position 0 within the file, for messages

    ByteCursor(Path file, ByteBuffer buf, long base) {
        this.file = file;
        this.buf = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.base = base;
    }

    /** Maps the whole file read-only. */
    static ByteCursor map(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new WeightFileException(file, "file is " + size + " bytes; files over 2 GiB are not supported");
            }
            return new ByteCursor(file, ch.map(FileChannel.MapMode.READ_ONLY, 0, size), 0);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new WeightFileException(file, "no such file");
        } catch (IOException e) {
            throw new WeightFileException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    Path file() {
        return file;
    }

    int position() {
        return buf.position();
    }

    void position(int p) {
        buf.position(p);
    }

    int limit() {
        return buf.limit();
    }

    int remaining() {
        return buf.remaining();
    }

    ByteBuffer buffer() {
        return buf;
    }

    private void need(long n, String what) {
        if (n < 0 || n > buf.remaining()) {
            throw truncated(what, n);
        }
    }

    WeightFileException truncated(String what, long n) {
        return new WeightFileException(file, "truncated or corrupt: reading " + what + " needs " + n + " bytes at offset "
                + (base + buf.position()) + " but only " + buf.remaining() + " remain");
    }

    int u8(String what) {
        need(1, what);
        return buf.get() & 0xff;
    }

    int u16(String what) {
        need(2, what);
        return buf.getShort() & 0xffff;
    }

    int i32(String what) {
        need(4, what);
        return buf.getInt();
    }

    long i64(String what) {
        need(8, what);
        return buf.getLong();
    }

    float f32(String what) {
        need(4, what);
        return buf.getFloat();
    }

    double f64(String what) {
        need(8, what);
        return buf.getDouble();
    }

    double f64BigEndian(String what) {
        need(8, what);
        return Double.longBitsToDouble(Long.reverseBytes(buf.getLong()));
    }

    byte[] bytes(long n, String what) {
        need(n, what);
        byte[] b = new byte[(int) n];
        buf.get(b);
        return b;
    }

    String utf8(long n, String what) {
        return new String(bytes(n, what), StandardCharsets.UTF_8);
    }

    /** A view of the next n bytes (the cursor moves past them). */
    ByteCursor slice(long n, String what) {
        need(n, what);
        ByteBuffer s = buf.slice().limit((int) n);
        long sliceBase = base + buf.position();
        buf.position(buf.position() + (int) n);
        return new ByteCursor(file, s, sliceBase);
    }

    /** A view of [from, from + n) of this cursor's buffer, independent of the current position. */
    ByteCursor window(long from, long n, String what) {
        if (from < 0 || n < 0 || from > buf.limit() || n > buf.limit() - from) { // from + n could overflow
            throw new WeightFileException(file, "truncated or corrupt: " + what + " spans bytes [" + (base + from) + ", "
                    + (base + from + n) + ") but the data ends at " + (base + buf.limit()));
        }
        ByteBuffer s = buf.duplicate().position((int) from).limit((int) (from + n)).slice();
        return new ByteCursor(file, s, base + from);
    }
}
