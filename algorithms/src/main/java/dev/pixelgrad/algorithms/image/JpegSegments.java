package dev.pixelgrad.algorithms.image;

import javax.imageio.stream.ImageInputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The marker segments of a JPEG header, checked against the file's length before Java's decoder
 * sees them. From the start-of-image marker to the first scan, a JPEG is a chain of segments
 * {@code FF xx}, each (but the few without a body) followed by a big-endian 16-bit length that
 * counts itself. The decoder trusts those lengths: for an ICC profile segment (APP2) it allocates
 * about 140 bytes per byte claimed, so a 6-byte file claiming a 44 KB profile cost 6 MB. A segment
 * that runs past the end of the file, or a file that ends before its first scan, is truncated,
 * and refused as such. Markers are found as the decoder finds them, skipping stray bytes.
 */
final class JpegSegments {
    private static final int SOS = 0xda, SOI = 0xd8, EOI = 0xd9, TEM = 0x01, RST0 = 0xd0, RST7 = 0xd7;

    private JpegSegments() {
    }

    /**
     * The next marker code, or -1 at the end of the file, found as libjpeg finds it: bytes before
     * an FF are skipped (the decoder warns about them and goes on), so are FF fill bytes, and an FF 00
     * pair is no marker.
     */
    private static int nextMarker(ImageInputStream in) throws IOException {
        byte[] chunk = new byte[512];
        while (true) {
            long at = in.getStreamPosition();
            int n = in.read(chunk);
            if (n <= 0) {
                return -1;
            }
            int ff = 0;
            while (ff < n && chunk[ff] != (byte) 0xff) {
                ff++;
            }
            in.seek(at + Math.min(ff + 1, n));
            if (ff == n) {
                continue;
            }
            int marker = in.read();
            while (marker == 0xff) {
                marker = in.read();
            }
            if (marker != 0) {
                return marker;
            }
        }
    }

    private static IOException endsInHeader(Path file, long size) {
        return new IOException(file + ": the JPEG ends after " + size + " bytes, inside its header, before any image data:"
                + " the file is truncated");
    }

    /**
     * Walks the header of {@code in} (positioned anywhere; left at 0) up to the first scan, across
     * a tables-only SOI..EOI that Java's reader also reads past.
     */
    static void check(Path file, ImageInputStream in) throws IOException {
        long size = in.length();
        if (size < 0) {
            return; // unknown length: nothing to compare with
        }
        in.seek(2); // after SOI
        while (true) {
            int marker = nextMarker(in);
            if (marker < 0) {
                throw endsInHeader(file, size);
            }
            if (marker == SOS) {
                break;
            }
            if (marker == SOI || marker == EOI || marker == TEM || (marker >= RST0 && marker <= RST7)) {
                continue; // no length, no body; an image may follow a tables-only SOI..EOI
            }
            long at = in.getStreamPosition();
            if (at + 2 > size) {
                throw endsInHeader(file, size);
            }
            int length = in.readUnsignedShort();
            if (at + length > size) {
                throw new IOException(file + ": the JPEG segment FF" + String.format("%02X", marker) + " at byte " + (at - 2)
                        + " claims " + length + " bytes but the file ends " + (size - at) + " bytes later: the file is truncated");
            }
            in.seek(at + length);
        }
        in.seek(0);
    }
}
