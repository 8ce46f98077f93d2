package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.BackendUnavailableException;
import dev.pixelgrad.tensor.Storage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The peak of device buffers a run reports: what was held at once, not what was ever allocated. */
class PeakMemoryTest {
    @Test
    void thePeakIsTheMostHeldAtOnce() {
        BufferAccounting a = new BufferAccounting();
        a.allocated(100);
        a.allocated(50);
        a.released(100);
        a.allocated(80);
        assertEquals(150, a.peak());
        a.allocated(30);
        assertEquals(160, a.peak());
    }

    @Test
    @Tag("opencl")
    void theBackendCountsItsBuffers() throws BackendUnavailableException {
        OpenClTestSupport.backend();   // skips without a device
        OpenClBackend be = (OpenClBackend) new OpenClProvider().open("opencl");   // its own count, from its opening
        long before = be.peakBytes();
        Storage big = be.allocate(1 << 20);
        long peak = be.peakBytes();
        assertTrue(peak >= 4L << 20 && peak <= before + (4L << 20), peak + " after " + before);
        big.release();
        be.allocate(16).release();
        assertEquals(peak, be.peakBytes());
    }
}
