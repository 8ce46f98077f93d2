package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.io.AtomicFiles;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/**
 * The tunables of the convolution and GEMM kernels: the {@code -D} options of the tuned program
 * plus the launch shapes that go with them. The host always passes every {@code -D}, so
 * {@code conv.cl} and {@code gemm.cl} hold no defaults of their own; this table is the only one.
 *
 * <pre>
 * tunable     -D        cpu()   gpu(256)  meaning
 * vk          VK        2       1         float16 vectors of output channels per conv work-item (1 or 2)
 * px          PX        7       4         output pixels along a row per conv work-item
 * rowLoop     ROW_LOOP  true    false     a conv work-item walks its whole output row
 * convLocal   -         1       64        conv work-group size along dimension 0
 * tm          TM        4 (2)   4         rows of A per GEMM work-item; (2) on CPUs of 8 float lanes
 * tn          TN        4 (2)   4         rows of B per GEMM work-item (equal to tm for Gram symmetry)
 * chunk       -         4096    512       k-chunk of the GEMM (a multiple of 16); with local tiles
 *                                         the shortest chunk a k-split may use
 * localTiles  MDIMC     0       16        0: GEMM without local memory; else groups of localTiles^2
 *                                         work-items stage k-steps of KWG in local memory and compute
 *                                         tiles of C of (localTiles tm) x (localTiles tn)
 * (fixed)     KWG       16      16        k-step of the local-memory GEMM
 * (derived)   WL        16      1         lanes of a Winograd transform work-item: 16 without local tiles
 * </pre>
 *
 * Build one from {@link #cpu()} or {@link #gpu(long)} and the {@code with...} methods, e.g.
 * {@code Tuning.gpu(256).withPx(7).withConvLocal(32)}, not positionally.
 */
public record Tuning(int vk, int px, boolean rowLoop, int convLocal, int tm, int tn, int chunk, int localTiles) {

    /** Step along k of the local-memory GEMM (KWG in gemm.cl). */
    static final int KWG = 16;

    public Tuning {
        if (vk != 1 && vk != 2) {
            throw new IllegalArgumentException("tuning: vk must be 1 or 2, got " + vk);
        }
        if (px < 1 || tm < 1 || tn < 1 || convLocal < 1 || chunk < 16 || chunk % 16 != 0 || localTiles < 0) {
            throw new IllegalArgumentException("tuning: expected px, tm, tn, convLocal >= 1, chunk a multiple of 16 "
                    + "and localTiles >= 0, got " + this);
        }
    }

    /**
     * For CPUs (local memory emulated in global memory): a large register tile per work-item and
     * one work-item per work-group, which the CPU driver turns into straight-line AVX code.
     */
    public static Tuning cpu() {
        return new Tuning(2, 7, true, 1, 4, 4, 4096, 0);
    }

    /**
     * For GPUs: smaller tiles, many work-items per group, and the GEMM in 64 x 64 tiles of C
     * staged through local memory (16 x 16 work-items of 4 x 4; 8 x 8 where groups of 256
     * work-items do not fit).
     */
    public static Tuning gpu(long maxWorkGroupSize) {
        int local = (int) Math.min(64, Math.max(1, maxWorkGroupSize));
        int group = maxWorkGroupSize >= 256 ? 16 : 8;
        return new Tuning(1, 4, false, local, 4, 4, 512, group);
    }

    /**
     * {@link #cpu} for a CPU device whose native float vectors have {@code floatLanes} lanes: with
     * fewer than 16 (AVX2: 16 registers of 8 floats, not AVX-512's 32 of 16) the GEMM's register
     * tile shrinks to 2 x 2 rows: {@code pixelgrad tune} chose it on a Zen 3 (AVX2) under POCL,
     * and five bench runs each there timed the three VGG Grams 1.07, 1.10 and 1.16x faster (medians).
     * The convolution tiles keep their defaults, which that machine's timings did not consistently beat.
     */
    public static Tuning cpu(int floatLanes) {
        return floatLanes >= 16 ? cpu() : cpu().withTiles(2, 2);
    }

    /** {@link #gpu} where local memory is real (GPUs and the like), else {@link #cpu(int)}. */
    static Tuning defaults(DeviceInfo dev) {
        return usesLocalMemory(dev) ? gpu(dev.maxWorkGroupSize()) : cpu(dev.nativeFloatWidth());
    }

    /** Whether the device's local memory is worth tiling for (GPU-style tunings). */
    static boolean usesLocalMemory(DeviceInfo dev) {
        return dev.isGpu() || dev.localMemIsReal();
    }

    /** The stored tuning for {@code dev} under {@code home}, else its defaults. */
    static Tuning forDevice(Path home, DeviceInfo dev) {
        Tuning t = read(file(home, dev));
        return t == null ? defaults(dev) : t;
    }

    public Tuning withVk(int v) {
        return new Tuning(v, px, rowLoop, convLocal, tm, tn, chunk, localTiles);
    }

    public Tuning withPx(int v) {
        return new Tuning(vk, v, rowLoop, convLocal, tm, tn, chunk, localTiles);
    }

    public Tuning withRowLoop(boolean v) {
        return new Tuning(vk, px, v, convLocal, tm, tn, chunk, localTiles);
    }

    public Tuning withConvLocal(int v) {
        return new Tuning(vk, px, rowLoop, v, tm, tn, chunk, localTiles);
    }

    /** GEMM register tiles of tm rows of A by tn rows of B. */
    public Tuning withTiles(int tm, int tn) {
        return new Tuning(vk, px, rowLoop, convLocal, tm, tn, chunk, localTiles);
    }

    public Tuning withChunk(int v) {
        return new Tuning(vk, px, rowLoop, convLocal, tm, tn, v, localTiles);
    }

    /** 0 for the GEMM without local memory. */
    public Tuning withLocalTiles(int v) {
        return new Tuning(vk, px, rowLoop, convLocal, tm, tn, chunk, v);
    }

    /** The {@code -D} options for the tuned program (all of them: the sources have no defaults). */
    String defines() {
        return String.format(Locale.ROOT, "-D VK=%d -D PX=%d -D ROW_LOOP=%d -D TM=%d -D TN=%d -D MDIMC=%d -D KWG=%d -D WL=%d",
                vk, px, rowLoop ? 1 : 0, tm, tn, Math.max(1, localTiles), KWG, winogradLanes());
    }

    /**
     * Tiles or channels per Winograd transform work-item (WL in winograd.cl): 16 float lanes on
     * CPUs, one per work-item where the GEMM has local tiles (GPUs).
     */
    int winogradLanes() {
        return localTiles == 0 ? 16 : 1;
    }

    /** Output channels per conv work-item: KT in conv.cl. */
    int channelsPerTile() {
        return 16 * vk;
    }

    /** Where {@code pixelgrad tune} stores the tuning of {@code dev}. */
    static Path file(Path home, DeviceInfo dev) {
        return dev.stateFile(home, "tuning", ".properties");
    }

    /** The tuning stored in {@code f}, or null when there is none (or an unreadable one). */
    static Tuning read(Path f) {
        if (!Files.isRegularFile(f)) {
            return null;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(f)) {
            p.load(r);
            // Files written before local tiles existed lack the key: those tunings had none.
            return new Tuning(intOf(p, "vk"), intOf(p, "px"), Boolean.parseBoolean(p.getProperty("rowLoop")),
                    intOf(p, "convLocal"), intOf(p, "tm"), intOf(p, "tn"), intOf(p, "chunk"),
                    p.getProperty("localTiles") == null ? 0 : intOf(p, "localTiles"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static int intOf(Properties p, String key) {
        return Integer.parseInt(p.getProperty(key));
    }

    /** Writes this tuning to {@code f} (atomically); {@code comment} heads the file. */
    void write(Path f, String comment) throws IOException {
        Properties p = new Properties();
        p.setProperty("vk", Integer.toString(vk));
        p.setProperty("px", Integer.toString(px));
        p.setProperty("rowLoop", Boolean.toString(rowLoop));
        p.setProperty("convLocal", Integer.toString(convLocal));
        p.setProperty("tm", Integer.toString(tm));
        p.setProperty("tn", Integer.toString(tn));
        p.setProperty("chunk", Integer.toString(chunk));
        p.setProperty("localTiles", Integer.toString(localTiles));
        StringWriter text = new StringWriter();
        p.store(text, comment);
        AtomicFiles.writeString(f, text.toString());
    }
}
