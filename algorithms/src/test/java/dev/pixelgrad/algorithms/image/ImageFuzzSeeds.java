package dev.pixelgrad.algorithms.image;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the seed inputs of {@link ImageFilesFuzzTest}: small crops of the bundled example images
 * in the PNG and JPEG variants the decoders take different paths for. Run from the repository
 * root (after a test build):
 * <pre>
 *   java -cp algorithms/target/test-classes dev.pixelgrad.algorithms.image.ImageFuzzSeeds
 * </pre>
 */
public final class ImageFuzzSeeds {
    private static final Path INPUTS = Path.of("algorithms/src/test/resources/dev/pixelgrad/algorithms/image/ImageFilesFuzzTestInputs");

    private ImageFuzzSeeds() {
    }

    public static void main(String[] args) throws IOException {
        BufferedImage cat = crop("chelsea.png", 150, 60, 12, 9);
        BufferedImage sky = crop("hubble_deep_field.jpg", 400, 300, 16, 12);
        Path png = Files.createDirectories(INPUTS.resolve("png"));
        Path jpeg = Files.createDirectories(INPUTS.resolve("jpeg"));
        write(cat, "png", null, png.resolve("rgb8.png"));
        write(convert(cat, BufferedImage.TYPE_INT_ARGB), "png", null, png.resolve("rgba8.png"));
        write(convert(cat, BufferedImage.TYPE_USHORT_GRAY), "png", null, png.resolve("grey16.png"));
        write(palette(cat), "png", null, png.resolve("palette2.png"));
        write(sky, "jpeg", null, jpeg.resolve("baseline.jpg"));
        write(convert(sky, BufferedImage.TYPE_BYTE_GRAY), "jpeg", null, jpeg.resolve("grey.jpg"));
        write(sky, "jpeg", ImageWriteParam.MODE_DEFAULT, jpeg.resolve("progressive.jpg"));
    }

    private static BufferedImage crop(String example, int x, int y, int w, int h) throws IOException {
        try (InputStream in = ImageFuzzSeeds.class.getResourceAsStream("/dev/pixelgrad/algorithms/examples/" + example)) {
            return convert(ImageIO.read(in).getSubimage(x, y, w, h), BufferedImage.TYPE_INT_RGB);
        }
    }

    private static BufferedImage convert(BufferedImage img, int type) {
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), type);
        out.getGraphics().drawImage(img, 0, 0, null);
        return out;
    }

    /** A 1-bit palette (2 colours), which PNG packs eight pixels to a byte. */
    private static BufferedImage palette(BufferedImage img) {
        IndexColorModel two = new IndexColorModel(1, 2, new byte[]{0, (byte) 200}, new byte[]{0, (byte) 120}, new byte[]{0, 40});
        BufferedImage out = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_BYTE_BINARY, two);
        out.getGraphics().drawImage(img, 0, 0, null);
        return out;
    }

    /** Writes with the default parameters, or progressive JPEG when {@code progressive} is given. */
    private static void write(BufferedImage img, String format, Integer progressive, Path file) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        Files.deleteIfExists(file);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (progressive != null) {
                param.setProgressiveMode(progressive);
            }
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        System.out.println(file + " " + Files.size(file) + " bytes");
    }
}
