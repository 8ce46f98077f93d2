package dev.pixelgrad.kernels;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Properties;

/**
 * The compile-time tunables of the convolution and GEMM kernels plus their launch shapes.
 *
 * @param vk        float16 vectors of output channels per conv work-item (1 or 2)
 * @param px        output pixels per conv work-item
 * @param rowLoop   whether a conv work-item walks its whole output row
 * @param convLocal conv work-group size along dimension 0
 * @param tm        rows of A per GEMM work-item
 * @param tn        rows of B per GEMM work-item (equal to tm for Gram symmetry)
 * @param chunk     length of the k-chunks of the GEMM (a multiple of 16); with local tiles the
 *                  shortest chunk a k-split may use
 * @param localTiles 0 for the GEMM without local memory; otherwise work-groups of
 *                  localTiles x localTiles work-items stage k-steps of A and B in local memory and
 *                  compute tiles of (localTiles * tm) x (localTiles * tn) of C
 */
public record Tuning(int vk, int px, boolean rowLoop, int convLocal, int tm, int tn, int chunk, int localTiles) {

    /** Step along k of the local-memory GEMM (KWG in gemm.cl). */
    static final int KWG = 16;

    /** A tuning with the GEMM that does not use local memory. */
    public Tuning(int vk, int px, boolean rowLoop, int convLocal, int tm, int tn, int chunk) {
        this(vk, px, rowLoop, convLocal, tm, tn, chunk, 0);
    }

    public Tuning {
        if (vk != 1 && vk != 2) {
            throw new IllegalArgumentException("tuning: vk must be 1 or 2, got " + vk);
        }
        if (px < 1 || tm < 1 || tn < 1 || convLocal < 1 || chunk < 16 || chunk % 16 != 0
                || localTiles < 0) {
            throw new IllegalArgumentException("tuning: bad values " + this);
        }
    }

    /**
     * Defaults from the device's properties: on CPUs (local memory emulated in global memory) a
     * large register tile per work-item and one work-item per work-group, which the CPU driver
     * turns into straight-line AVX code; on GPUs smaller tiles, many work-items per group and
     * the GEMM in 64 x 64 tiles of C staged through local memory (16 x 16 work-items of 4 x 4).
     */
    static Tuning defaults(DeviceInfo dev) {
        if (dev.isGpu() || dev.localMemIsReal()) {
            int local = (int) Math.min(64, Math.max(1, dev.maxWorkGroupSize()));
            int group = dev.maxWorkGroupSize() >= 256 ? 16 : 8;
            return new Tuning(1, 4, false, local, 4, 4, 512, group);
        }
        return new Tuning(2, 7, true, 1, 4, 4, 4096);
    }

    /** The {@code -D} options for the tuned program. */
    String defines() {
        return String.format(Locale.ROOT, "-D VK=%d -D PX=%d -D ROW_LOOP=%d -D TM=%d -D TN=%d -D MDIMC=%d -D KWG=%d",
                vk, px, rowLoop ? 1 : 0, tm, tn, Math.max(1, localTiles), KWG);
    }

    int channelsPerTile() {
        return 16 * vk;
    }

    static Path file(Path home, DeviceInfo dev) {
        String key = ProgramCache.sha256(dev.name() + "\n" + dev.driverVersion()).substring(0, 16);
        return home.resolve("opencl").resolve("tuning-" + key + ".properties");
    }

    /** The stored tuning for {@code dev}, or null when none (or an unreadable one) exists. */
    static Tuning load(Path home, DeviceInfo dev) {
        Path f = file(home, dev);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f)) {
            p.load(r);
            return new Tuning(Integer.parseInt(p.getProperty("vk")), Integer.parseInt(p.getProperty("px")),
                    Boolean.parseBoolean(p.getProperty("rowLoop")), Integer.parseInt(p.getProperty("convLocal")),
                    Integer.parseInt(p.getProperty("tm")), Integer.parseInt(p.getProperty("tn")),
                    Integer.parseInt(p.getProperty("chunk")),
                    p.getProperty("localTiles") == null ? 0 : Integer.parseInt(p.getProperty("localTiles")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    void save(Path home, DeviceInfo dev) throws IOException {
        Path f = file(home, dev);
        Files.createDirectories(f.getParent());
        Properties p = new Properties();
        p.setProperty("vk", Integer.toString(vk));
        p.setProperty("px", Integer.toString(px));
        p.setProperty("rowLoop", Boolean.toString(rowLoop));
        p.setProperty("convLocal", Integer.toString(convLocal));
        p.setProperty("tm", Integer.toString(tm));
        p.setProperty("tn", Integer.toString(tn));
        p.setProperty("chunk", Integer.toString(chunk));
        p.setProperty("localTiles", Integer.toString(localTiles));
        Path tmp = Files.createTempFile(f.getParent(), "tuning", ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp)) {
            p.store(w, "pixelgrad tune: " + dev.name() + ", driver " + dev.driverVersion());
        }
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
