package dev.pixelgrad.algorithms.image;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageFilesTest {
    @TempDir
    Path dir;

    private static RgbImage gradient(int h, int w) {
        float[] rgb = new float[3 * h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                rgb[y * w + x] = x / (float) (w - 1);
                rgb[h * w + y * w + x] = y / (float) (h - 1);
                rgb[2 * h * w + y * w + x] = 0.25f;
            }
        }
        return new RgbImage(rgb, h, w);
    }

    @Test
    void pngRoundTripsToEightBits() throws IOException {
        RgbImage img = gradient(7, 11);
        Path f = dir.resolve("sub/out.png");
        ImageFiles.write(img, f);
        RgbImage back = ImageFiles.read(f);
        assertEquals(7, back.height());
        assertEquals(11, back.width());
        assertArrayEquals(img.rgb(), back.rgb(), 0.5f / 255f + 1e-6f);
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void jpegIsWrittenByExtension() throws IOException {
        Path f = dir.resolve("out.JPG");
        ImageFiles.write(gradient(16, 16), f);
        assertEquals(16, ImageIO.read(f.toFile()).getWidth());
        assertEquals(0.25f, ImageFiles.read(f).rgb()[2 * 256 + 5], 0.03f);
    }

    @Test
    void greyBecomesRgbWithoutGammaShift() throws IOException {
        BufferedImage g = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_GRAY);
        g.getRaster().setSample(1, 1, 0, 128);
        Path f = dir.resolve("grey.png");
        ImageIO.write(g, "png", f.toFile());
        RgbImage img = ImageFiles.read(f);
        int i = 1 * 3 + 1;
        for (int c = 0; c < 3; c++) {
            assertEquals(128 / 255f, img.rgb()[c * 6 + i], 1e-6f);
        }
    }

    @Test
    void alphaIsDropped() throws IOException {
        BufferedImage a = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        a.setRGB(0, 0, 0x00ff0000);   // fully transparent red
        Path f = dir.resolve("alpha.png");
        ImageIO.write(a, "png", f.toFile());
        RgbImage img = ImageFiles.read(f);
        assertEquals(1f, img.rgb()[0], 1e-6f);
    }

    @Test
    void errorsNameTheFile() throws IOException {
        Path missing = dir.resolve("nope.png");
        IOException e = assertThrows(IOException.class, () -> ImageFiles.read(missing));
        assertTrue(e.getMessage().contains("nope.png"), e.getMessage());
        Path junk = dir.resolve("junk.png");
        Files.writeString(junk, "not an image");
        e = assertThrows(IOException.class, () -> ImageFiles.read(junk));
        assertTrue(e.getMessage().contains("junk.png"), e.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ImageFiles.write(gradient(2, 2), dir.resolve("x.tiff")));
        assertTrue(bad.getMessage().contains("x.tiff"), bad.getMessage());
    }

    private static byte[] example(String name) throws IOException {
        try (var in = ImageFilesTest.class.getResourceAsStream("/dev/pixelgrad/algorithms/examples/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void truncatedJpegIsRefusedNotReadAsGrey() throws IOException {
        byte[] jpeg = example("hubble_deep_field.jpg");
        Path whole = dir.resolve("whole.jpg");
        Files.write(whole, jpeg);
        assertEquals(1000, ImageFiles.read(whole).width());
        // Java's decoder only warns about the missing data and fills it with grey
        for (int cut : new int[]{jpeg.length / 2, jpeg.length - 100}) {
            Path f = dir.resolve("cut" + cut + ".jpg");
            Files.write(f, java.util.Arrays.copyOf(jpeg, cut));
            IOException e = assertThrows(IOException.class, () -> ImageFiles.read(f));
            assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
        }
        // only the end-of-image marker missing: every pixel is there, so the image is read
        Path noEoi = dir.resolve("noeoi.jpg");
        Files.write(noEoi, java.util.Arrays.copyOf(jpeg, jpeg.length - 2));
        assertEquals(872, ImageFiles.read(noEoi).height());
    }

    @Test
    void truncatedProgressiveJpegIsRefusedEvenAtAScanBoundary() throws IOException {
        Path f = dir.resolve("progressive.jpg");
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (var out = ImageIO.createImageOutputStream(f.toFile())) {
            writer.setOutput(out);
            var param = writer.getDefaultWriteParam();
            param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new javax.imageio.IIOImage(ImageFiles.toBufferedImage(gradient(64, 80)), null, null), param);
        } finally {
            writer.dispose();
        }
        byte[] b = Files.readAllBytes(f);
        assertEquals(80, ImageFiles.read(f).width());
        int lastScan = 0; // the last start-of-scan marker, FF DA
        for (int i = 0; i + 1 < b.length; i++) {
            if ((b[i] & 0xff) == 0xff && (b[i + 1] & 0xff) == 0xda) {
                lastScan = i;
            }
        }
        // cut mid-scan, and right before the last scan: the decoder alone would read the second
        // without a warning, the image lacking its finest scan
        for (int cut : new int[]{b.length * 2 / 3, lastScan}) {
            Files.write(f, java.util.Arrays.copyOf(b, cut));
            IOException e = assertThrows(IOException.class, () -> ImageFiles.read(f), "cut at " + cut);
            assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("the file is truncated"), e.getMessage());
        }
    }

    @Test
    void jpegHeaderSegmentRunningPastTheEndIsRefusedBeforeDecoding() throws IOException {
        // start of image, then an ICC profile segment (APP2) claiming 44588 bytes of a 6-byte file:
        // Java's decoder allocated 6 MB for it, then failed with "No image data present to read"
        Path f = dir.resolve("icc.jpg");
        Files.write(f, new byte[]{(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe2, (byte) 0xae, 0x2c});
        assertThrows(IOException.class, () -> ImageFiles.read(f)); // loads the classes involved
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        IOException e = assertThrows(IOException.class, () -> ImageFiles.read(f));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().contains("FFE2 at byte 2 claims 44588 bytes") && e.getMessage().contains("truncated"), e.getMessage());
        assertTrue(allocated < 1 << 20, "allocated " + allocated + " bytes for a 6-byte file");
        // the same after two stray bytes, which the decoder skips
        Files.write(f, new byte[]{(byte) 0xff, (byte) 0xd8, 1, 4, (byte) 0xff, (byte) 0xe2, (byte) 0xae, 0x2c});
        assertTrue(assertThrows(IOException.class, () -> ImageFiles.read(f)).getMessage().contains("FFE2 at byte 4 claims 44588"));
        // the same after a tables-only SOI..EOI, which Java's reader reads past
        Files.write(f, new byte[]{(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xd9, (byte) 0xff, (byte) 0xd8,
                (byte) 0xff, (byte) 0xe2, (byte) 0xae, 0x2c});
        assertTrue(assertThrows(IOException.class, () -> ImageFiles.read(f)).getMessage().contains("FFE2 at byte 6 claims 44588"));
        // the same with the length itself cut short, and a real header cut
        Files.write(f, new byte[]{(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe2, (byte) 0xbe});
        assertTrue(assertThrows(IOException.class, () -> ImageFiles.read(f)).getMessage().contains("inside its header"));
        Files.write(f, java.util.Arrays.copyOf(example("hubble_deep_field.jpg"), 300));
        assertTrue(assertThrows(IOException.class, () -> ImageFiles.read(f)).getMessage().contains("truncated"));
    }

    @Test
    void headerClaimingMorePixelsThanTheBytesHoldIsRefusedBeforeDecoding() throws IOException {
        Path f = dir.resolve("small.png");
        ImageFiles.write(gradient(8, 8), f);
        byte[] b = Files.readAllBytes(f);
        // IHDR width and height (big-endian at bytes 16 and 20): 12000 x 12000 RGB is 432 MB
        java.nio.ByteBuffer.wrap(b).putInt(16, 12000).putInt(20, 12000);
        Files.write(f, b);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        IOException e = assertThrows(IOException.class, () -> ImageFiles.read(f));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().contains("12000x12000") && e.getMessage().contains("truncated or corrupt"), e.getMessage());
        assertTrue(allocated < 64L << 20, "allocated " + allocated + " bytes for a " + b.length + "-byte file");
    }

    @Test
    void imageAtTargetSizeIsNotResampled() {
        RgbImage img = gradient(20, 30);
        assertSame(img, Resampling.resizeLongSide(img, 30));
        assertSame(img, Resampling.resize(img, 20, 30));
    }

    @Test
    void shrinkingAveragesAreasAndGrowingKeepsConstants() {
        float[] rgb = new float[3 * 1 * 4];
        float[] row = {0f, 1f, 0f, 1f};
        for (int c = 0; c < 3; c++) {
            System.arraycopy(row, 0, rgb, c * 4, 4);
        }
        RgbImage half = Resampling.resize(new RgbImage(rgb, 1, 4), 1, 2);
        assertArrayEquals(new float[]{0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f}, half.rgb(), 1e-6f);
        float[] flat = new float[3 * 3 * 3];
        java.util.Arrays.fill(flat, 0.3f);
        RgbImage big = Resampling.resize(new RgbImage(flat, 3, 3), 7, 8);
        for (float v : big.rgb()) {
            assertEquals(0.3f, v, 1e-6f);
        }
        int[] hw = Resampling.sizeForLongSide(300, 451, 256);
        assertArrayEquals(new int[]{170, 256}, hw);
    }

    @Test
    void resamplingRowsSumToOne() {
        for (int[] io : new int[][]{{10, 3}, {3, 10}, {7, 7}, {512, 365}}) {
            float[] r = Resampling.matrix(io[0], io[1]);
            for (int i = 0; i < io[1]; i++) {
                double s = 0;
                for (int j = 0; j < io[0]; j++) {
                    s += r[i * io[0] + j];
                }
                assertEquals(1.0, s, 1e-5);
            }
        }
    }
}
