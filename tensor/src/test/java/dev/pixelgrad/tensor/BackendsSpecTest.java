package dev.pixelgrad.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Device specs are checked as written, and the message says where a bad one came from. */
class BackendsSpecTest {
    @Test
    void wellFormedSpecsPass() {
        assertEquals("auto", Backends.checkSpec(" AUTO ", null));
        assertEquals("java", Backends.checkSpec("java", null));
        assertEquals("opencl", Backends.checkSpec("OpenCL", null));
        assertEquals("opencl:5:0", Backends.checkSpec("opencl:5:0", null));   // whether it exists is select's to find out
    }

    @Test
    void aBadSpecNamesItsSourceAndItsValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backends.checkSpec("banana", Backends.DEVICE_ENV));
        assertEquals("device: PIXELGRAD_DEVICE: 'banana' is not a device; expected auto, java, opencl or "
                + "opencl:PLATFORM:DEVICE (see 'pixelgrad devices')", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Backends.checkSpec("opencl:x:y", null));
        assertThrows(IllegalArgumentException.class, () -> Backends.checkSpec("opencl:1", null));
        assertThrows(IllegalArgumentException.class, () -> Backends.select("banana", w -> { }));
    }
}
