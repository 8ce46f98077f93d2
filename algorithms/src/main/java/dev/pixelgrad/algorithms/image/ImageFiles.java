package dev.pixelgrad.algorithms.image;

import dev.pixelgrad.tensor.io.AtomicFiles;
import dev.pixelgrad.tensor.io.FileProblems;

import javax.imageio.IIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reading and writing images as planar RGB floats in [0,1] ({@link RgbImage}).
 *
 * <p>Reading takes whatever {@code javax.imageio} reads (PNG, JPEG, BMP, GIF, ...): grey becomes
 * RGB, alpha is dropped, 16-bit samples keep their precision. A damaged file is refused rather
 * than half read: a header claiming more pixels than the file's bytes can encode (checked before
 * the pixels are allocated), a JPEG whose header segments run past the end of the file, and a
 * JPEG whose data ends early (Java's decoder only warns and fills the rest with grey) or between
 * the scans of a progressive JPEG. Writing picks PNG or JPEG from the file extension and is
 * atomic: the image goes to a temporary file in the same directory, which is then renamed over
 * the target, so a reader never sees half an image (and Ctrl-C never leaves one).
 */
public final class ImageFiles {
    /** Images with more pixels than this are refused before decoding (about 16k x 16k). */
    public static final long MAX_PIXELS = 256L * 1024 * 1024;
    /**
     * Decoded bytes one byte of file can hold at most: deflate (PNG) expands at most 1032:1, and
     * a JPEG spends at least 2 bits on each 8x8 block of a component (256:1). GIF and BMP can
     * exceed it only for flat images no one optimises.
     */
    public static final long MAX_EXPANSION = 1032;

    private ImageFiles() {
    }

    /** Reads an image file. Errors name the file and say what was wrong. */
    public static RgbImage read(Path file) throws IOException {
        requireReadable(file);
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            return decode(file, in);
        }
    }

    /** The bytes of an image file, after the same checks as {@link #read(Path)}: for callers that hash them too. */
    public static byte[] bytes(Path file) throws IOException {
        requireReadable(file);
        return Files.readAllBytes(file);
    }

    /** Decodes the bytes of {@code file}, read before with {@link #bytes}; errors name the file. */
    public static RgbImage read(Path file, byte[] contents) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(contents))) {
            return decode(file, in);
        }
    }

    private static void requireReadable(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "image not found: " + file.toAbsolutePath());
        }
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, not an image");
        }
        if (!Files.isReadable(file)) {
            throw new IOException(file + ": not readable (check its permissions)");
        }
    }

    private static RgbImage decode(Path file, ImageInputStream in) throws IOException {
        BufferedImage img;
        if (in == null) {
            throw new IOException(file + ": cannot open for reading");
        }
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw new IOException(file + ": not an image format Java can read (PNG, JPEG, BMP, GIF and WBMP are)");
        }
        ImageReader reader = readers.next();
        try {
            if (reader.getFormatName().equalsIgnoreCase("jpeg")) {
                JpegSegments.check(file, in);
            }
            reader.setInput(in, true, true);
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            checkClaimedSize(file, reader);
            if (reader.getFormatName().equalsIgnoreCase("jpeg")) {
                try {
                    // Walks every marker to the end of the file. A progressive JPEG cut between
                    // two scans fails here; reading it would not even warn, just leave out detail.
                    reader.getImageMetadata(0);
                } catch (IIOException e) {
                    throw new IOException(file + ": the JPEG's markers do not reach a proper end (" + e.getMessage()
                            + "): the file is truncated or corrupt. Download or export it again", e);
                }
            }
            img = reader.read(0);
            for (String warning : warnings) {
                // Java's JPEG decoder only warns when the data ends early and reads the rest as grey
                if (warning.toLowerCase(Locale.ROOT).contains("premature end")) {
                    throw new IOException(file + ": the file is truncated (" + warning + "); the missing part would be"
                            + " read as grey. Download or export it again");
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file.toString())) {
                throw e;
            }
            throw new IOException(file + ": cannot decode " + reader.getFormatName() + " image (" + e.getMessage()
                    + "); is the file truncated, or a CMYK JPEG? Re-save it as RGB PNG or JPEG", e);
        } finally {
            reader.dispose();
        }
        return toRgb(img);
    }

    /**
     * Refuses, before any pixel is allocated, a size beyond {@link #MAX_PIXELS} or one the file's
     * bytes cannot encode even at {@link #MAX_EXPANSION} (a damaged header claiming 16k x 16k).
     */
    private static void checkClaimedSize(Path file, ImageReader reader) throws IOException {
        long w = reader.getWidth(0), h = reader.getHeight(0);
        if (w * h > MAX_PIXELS) {
            throw new IOException(file + ": image is too large (" + w + "x" + h + " pixels, at most "
                    + MAX_PIXELS + " pixels); shrink it first");
        }
        long decodedBytes = w * h * bitsPerPixel(reader) / 8;
        long fileBytes = Files.size(file);
        if (decodedBytes > MAX_EXPANSION * fileBytes) {
            throw new IOException(file + ": the header claims " + w + "x" + h + " pixels (" + decodedBytes
                    + " bytes decoded) but the file has only " + fileBytes + " bytes, too few for any "
                    + reader.getFormatName() + " image that size: the file is truncated or corrupt"
                    + " (re-save a flat GIF or BMP as PNG)");
        }
    }

    /** Bits of one decoded pixel, from the first image type the reader offers. */
    private static long bitsPerPixel(ImageReader reader) throws IOException {
        Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
        if (types == null || !types.hasNext()) {
            return 8;
        }
        long bits = 0;
        for (int b : types.next().getSampleModel().getSampleSize()) {
            bits += b;
        }
        return Math.max(bits, 1);
    }

    /** Reads an image and scales it so that its long side is {@code longSide} (no resampling when it already is). */
    public static RgbImage read(Path file, int longSide) throws IOException {
        return Resampling.resizeLongSide(read(file), longSide);
    }

    /** Planar RGB in [0,1] from a decoded image. */
    public static RgbImage toRgb(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight(), hw = w * h;
        float[] rgb = new float[3 * hw];
        Raster raster = img.getRaster();
        boolean grey = img.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        if (grey) {
            // Read grey samples directly: getRGB would push them through a linear-to-sRGB
            // conversion and brighten the image.
            double max = (1L << img.getColorModel().getComponentSize(0)) - 1;
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    float v = (float) (row[x] / max);
                    rgb[y * w + x] = v;
                    rgb[hw + y * w + x] = v;
                    rgb[2 * hw + y * w + x] = v;
                }
            }
            return new RgbImage(rgb, h, w);
        }
        int bits = img.getColorModel().getComponentSize(0);
        boolean sixteenBit = bits == 16 && raster.getNumBands() >= 3
                && img.getColorModel().getColorSpace().isCS_sRGB();
        if (sixteenBit) {
            int[] px = new int[raster.getNumBands()];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    raster.getPixel(x, y, px);
                    for (int c = 0; c < 3; c++) {
                        rgb[c * hw + y * w + x] = px[c] / 65535f;
                    }
                }
            }
            return new RgbImage(rgb, h, w);
        }
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            img.getRGB(0, y, w, 1, row, 0, w);   // alpha (bits 24..31) is ignored
            for (int x = 0; x < w; x++) {
                int p = row[x];
                rgb[y * w + x] = ((p >> 16) & 0xff) / 255f;
                rgb[hw + y * w + x] = ((p >> 8) & 0xff) / 255f;
                rgb[2 * hw + y * w + x] = (p & 0xff) / 255f;
            }
        }
        return new RgbImage(rgb, h, w);
    }

    /** An 8-bit RGB image (values clamped to [0,1] and rounded). */
    public static BufferedImage toBufferedImage(RgbImage img) {
        int w = img.width(), h = img.height(), hw = w * h;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[w];
        float[] v = img.rgb();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                row[x] = (to8(v[i]) << 16) | (to8(v[hw + i]) << 8) | to8(v[2 * hw + i]);
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    private static int to8(float v) {
        return Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
    }

    /** The format for a file name: "png" or "jpeg", from its extension. */
    public static String formatFor(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".png")) {
            return "png";
        }
        if (name.endsWith(".jpg") || name.endsWith(".jpeg")) {
            return "jpeg";
        }
        throw new IllegalArgumentException(file + ": cannot tell the image format from the name; end it in .png, .jpg or .jpeg");
    }

    /** Whether the name ends in .png, .jpg or .jpeg (any case): the files the readers take. */
    public static boolean hasImageName(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
    }

    /**
     * Every PNG and JPEG file under {@code dir}, at any depth, sorted.
     *
     * @param option the option that named the folder, for the messages (e.g. "--data")
     * @throws IllegalArgumentException when {@code dir} is not a folder or holds no image
     */
    public static List<Path> imagesUnder(String option, Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(option + " " + dir + ": " + (Files.exists(dir) ? "not a folder" : "no such folder"));
        }
        List<Path> images;
        try (Stream<Path> walk = Files.walk(dir)) {
            images = walk.filter(Files::isRegularFile).filter(ImageFiles::hasImageName).sorted().toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        if (images.isEmpty()) {
            throw new IllegalArgumentException(option + " " + dir + ": no PNG or JPEG image in this folder or below it");
        }
        return images;
    }

    /** Writes PNG or JPEG (by extension) atomically; missing parent directories are created. */
    public static void write(RgbImage img, Path file) throws IOException {
        write(toBufferedImage(img), file);
    }

    /** Writes a rendered image (PNG or JPEG by extension) atomically (see {@link AtomicFiles}). */
    public static void write(BufferedImage img, Path file) throws IOException {
        String format = formatFor(file);
        try {
            AtomicFiles.write(file, ch -> encode(img, format, ch));
        } catch (IOException | RuntimeException e) {
            String why = e instanceof IOException io ? FileProblems.describe(io) : e.getMessage();   // the reason, not only the temporary file's name
            throw new IOException(file + ": cannot write " + format + " image (" + why + ")", e);
        }
    }

    private static void encode(BufferedImage img, String format, FileChannel ch) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(Channels.newOutputStream(ch))) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (format.equals("jpeg")) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.95f);
            }
            writer.write(null, new IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
    }
}
