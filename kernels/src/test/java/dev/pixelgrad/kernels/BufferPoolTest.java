package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Storage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Released buffers come back for the next allocation of their size: zero-filled, and never shared with a live one. */
@Tag("opencl")
class BufferPoolTest {
    @Test
    void aReusedBufferIsZeroedAndTheOldStorageStaysDead() {
        Backend be = OpenClTestSupport.backend();
        Storage first = be.upload(new float[]{1f, 2f, 3f, 4f, 5f});
        Storage a = be.allocate(5);
        be.copy(first, a, 5);
        a.release();
        Storage b = be.allocate(5);   // the pool's copy of a's buffer, when it kept it
        float[] values = new float[5];
        be.download(b, values);
        assertArrayEquals(new float[5], values);
        assertTrue(a.isReleased());
        assertThrows(IllegalStateException.class, () -> be.copy(first, a, 5));
        Storage c = be.allocate(5);   // a second live buffer of that size is another buffer
        be.copy(first, c, 5);
        be.download(b, values);
        assertArrayEquals(new float[5], values);
        b.release();
        c.release();
        first.release();
    }
}
