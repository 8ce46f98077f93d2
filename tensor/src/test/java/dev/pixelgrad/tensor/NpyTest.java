package dev.pixelgrad.tensor;

import dev.pixelgrad.tensor.testing.Npy;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The .npy reader on hand-made files (the header layout as NumPy writes it). */
class NpyTest {

    private static byte[] npy(String descr, String shape, float... values) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int pad = 64 - (10 + dict.length() + 1) % 64;
        String header = dict + " ".repeat(pad % 64) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.writeBytes(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).array());
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        out.writeBytes(b.array());
        return out.toByteArray();
    }

    @Test
    void readsShapeAndValues() {
        Npy.Array a = Npy.read(new ByteArrayInputStream(npy("<f4", "(2, 3)", 1, 2, 3, 4, 5, -6.5f)), "t.npy");
        assertArrayEquals(new int[]{2, 3}, a.shape());
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, -6.5f}, a.data());
    }

    @Test
    void readsOneDimensionalAndZeroDimensionalArrays() {
        assertArrayEquals(new int[]{4}, Npy.read(new ByteArrayInputStream(npy("<f4", "(4,)", 1, 2, 3, 4)), "v.npy").shape());
        Npy.Array s = Npy.read(new ByteArrayInputStream(npy("<f4", "()", 2.5f)), "s.npy");
        assertArrayEquals(new int[0], s.shape());
        assertArrayEquals(new float[]{2.5f}, s.data());
    }

    @Test
    void refusesOtherDtypesAndTruncatedData() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.read(new ByteArrayInputStream(npy("<f8", "(1,)", 1, 2)), "d.npy"));
        assertTrue(e.getMessage().contains("'<f8'") && e.getMessage().contains("'<f4'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Npy.read(new ByteArrayInputStream(npy("<f4", "(3,)", 1, 2)), "short.npy"));
        assertTrue(e.getMessage().contains("short.npy") && e.getMessage().contains("expected 12"), e.getMessage());
    }
}
