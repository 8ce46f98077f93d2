package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.ConvGeometry;
import dev.pixelgrad.tensor.PoolGeometry;
import dev.pixelgrad.tensor.Storage;
import dev.pixelgrad.tensor.Tunable;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.jocl.CL.*;

/**
 * The OpenCL backend: every {@link Backend} kernel runs on one device, and tensors stay in device
 * buffers ({@link OpenClStorage}); the host sees data only through upload, download and
 * readScalar, which {@link #transfers()} counts.
 *
 * <p>Two programs: {@code base} (elementwise, reductions, pooling, image helpers; no tunables)
 * and {@code tuned} (convolution and GEMM, built with the {@code -D} options of a {@link Tuning}).
 * Scratch buffers (packed weights, im2col columns, GEMM partial sums) are kept between calls and
 * reused: the queue is in order, so a later kernel never overtakes an earlier one.
 *
 * <p>Not thread-safe beyond what tensors need: one optimisation loop drives one backend.
 */
public final class OpenClBackend implements Backend, Tunable {
    /** Work-group size of the one-dimensional kernels: fixed, as each new size is a new compile. */
    static final long LOCAL_1D = 256;
    /** Work-items of the first reduction stage (a fixed number keeps sums bit-reproducible). */
    static final int REDUCE_GROUPS = 4096;

    private final DeviceInfo device;
    private final Path home;
    private final Tuning tuning;
    private final cl_context context;
    private final cl_command_queue queue;
    private final cl_program base;
    private final cl_program tuned;
    private final Map<String, cl_kernel> kernels = new HashMap<>();
    private final Map<String, OpenClStorage> scratch = new HashMap<>();
    private final TransferCounter transfers = new TransferCounter();
    private final ProgramCache cache;
    private float[] clampLo;
    private float[] clampHi;
    private OpenClStorage clampLoBuf;
    private OpenClStorage clampHiBuf;

    OpenClBackend(DeviceInfo device, Path home, Tuning tuning) {
        this.device = device;
        this.home = home;
        this.tuning = tuning;
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, device.platform());
        this.context = clCreateContext(props, 1, new org.jocl.cl_device_id[]{device.device()}, null, null, null);
        this.queue = clCreateCommandQueue(context, device.device(), 0, null);
        this.cache = new ProgramCache(home);
        this.base = cache.build(context, device, "base kernels",
                ProgramCache.source("common.cl", "elementwise.cl", "reduce.cl", "pool.cl", "image.cl"), "");
        this.tuned = buildTuned(tuning);
    }

    cl_program buildTuned(Tuning t) {
        return cache.build(context, device, "convolution and GEMM kernels",
                ProgramCache.source("common.cl", "conv.cl", "gemm.cl"), t.defines());
    }

    /** Where caches live: {@code PIXELGRAD_HOME}, else {@code -Dpixelgrad.home}, else ~/.cache/pixelgrad. */
    static Path home() {
        String env = System.getenv("PIXELGRAD_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String prop = System.getProperty("pixelgrad.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "pixelgrad");
    }

    @Override
    public String name() {
        return device.spec() + " (" + device.name() + ")";
    }

    /** Counts of host-device transfers since start (or the last reset). */
    public TransferCounter transfers() {
        return transfers;
    }

    DeviceInfo device() {
        return device;
    }

    /** The tile sizes this backend's convolution and GEMM kernels were built with. */
    public Tuning tuning() {
        return tuning;
    }

    Path homeDir() {
        return home;
    }

    ProgramCache programCache() {
        return cache;
    }

    cl_context context() {
        return context;
    }

    cl_command_queue queue() {
        return queue;
    }

    /**
     * Frees the device buffers this backend keeps for itself, its kernels, programs, queue and
     * context. Tensors still alive on it become unusable. Only for backends made apart from the
     * provider's shared one (the tuner's candidates).
     */
    public synchronized void close() {
        scratch.values().forEach(OpenClStorage::release);
        scratch.clear();
        if (clampLoBuf != null) {
            clampLoBuf.release();
            clampHiBuf.release();
            clampLoBuf = null;
        }
        kernels.values().forEach(org.jocl.CL::clReleaseKernel);
        kernels.clear();
        clReleaseProgram(base);
        clReleaseProgram(tuned);
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }

    /** {@code pixelgrad tune}: see {@link Tuner#run}. */
    @Override
    public void tune(java.io.PrintStream out) {
        try {
            Tuner.run(this, out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("opencl tune: cannot store the tuning under " + home, e);
        }
    }

    // ---- plumbing ---------------------------------------------------------------------------

    private synchronized cl_kernel kernel(String name) {
        return kernels.computeIfAbsent(name, n -> {
            for (cl_program p : new cl_program[]{base, tuned}) {
                try {
                    return clCreateKernel(p, n, null);
                } catch (CLException e) {
                    // not in this program
                }
            }
            throw new IllegalStateException("opencl: no kernel named " + n + " on " + device.name());
        });
    }

    KernelCall call(String name) {
        return KernelCall.of(kernel(name), name);
    }

    private void run1d(KernelCall call, long n) {
        call.enqueue(queue, new long[]{Math.max(1, n)}, new long[]{LOCAL_1D});
    }

    static OpenClStorage buf(Storage s) {
        if (!(s instanceof OpenClStorage o)) {
            throw new IllegalArgumentException("opencl backend: got a buffer of backend "
                    + (s == null ? "null" : s.backend().name()) + "; move the tensor with tensor.to(backend)");
        }
        return o;
    }

    private static int n32(long n, String op) {
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("opencl " + op + ": " + n + " elements exceed the 2^31 a kernel indexes; use a smaller --size");
        }
        return (int) n;
    }

    /** A scratch buffer of at least {@code n} floats, reused between calls. */
    private OpenClStorage scratch(String role, long n) {
        OpenClStorage s = scratch.get(role);
        if (s == null || s.size() < n) {
            if (s != null) {
                s.release();
            }
            s = (OpenClStorage) allocateRaw(Math.max(n, 1), null);
            scratch.put(role, s);
        }
        return s;
    }

    private cl_mem createBuffer(long n, float[] init) {
        long bytes = Math.max(1, n) * Sizeof.cl_float;
        long flags = init == null ? CL_MEM_READ_WRITE : CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR;
        return clCreateBuffer(context, flags, bytes, init == null ? null : Pointer.to(init), null);
    }

    /** Allocates, after one garbage collection and retry when the device is full. */
    private Storage allocateRaw(long n, float[] init) {
        long bytes = n * Sizeof.cl_float;
        String size = String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
        if (bytes > device.maxAllocBytes()) {
            throw new IllegalStateException("opencl: a tensor of " + size + " exceeds the largest buffer "
                    + device.name() + " allows (" + (device.maxAllocBytes() >> 20) + " MiB); use a smaller --size or --device java");
        }
        cl_mem mem;
        try {
            mem = createBuffer(n, init);
        } catch (CLException first) {
            System.gc(); // unreachable tensors release their buffers through the cleaner
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                mem = createBuffer(n, init);
            } catch (CLException second) {
                throw new IllegalStateException("opencl: out of device memory allocating a tensor of " + size
                        + " on " + device.name() + " (" + second.getMessage() + "); use a smaller --size or --device java", second);
            }
        }
        return new OpenClStorage(this, mem, n);
    }

    // ---- memory -----------------------------------------------------------------------------

    @Override
    public Storage allocate(long n) {
        Storage s = allocateRaw(n, null);
        fill(s, 0f, n);
        return s;
    }

    @Override
    public Storage upload(float[] data) {
        transfers.upload((long) data.length * Sizeof.cl_float);
        return allocateRaw(data.length, data.length == 0 ? null : data);
    }

    @Override
    public void download(Storage src, float[] dst) {
        long n = src.size();
        if (n == 0) {
            return;
        }
        transfers.download(n * Sizeof.cl_float);
        clEnqueueReadBuffer(queue, buf(src).mem(), CL_TRUE, 0, n * Sizeof.cl_float, Pointer.to(dst), 0, null, null);
    }

    @Override
    public float readScalar(Storage src, long index) {
        float[] v = new float[1];
        transfers.scalarRead(Sizeof.cl_float);
        clEnqueueReadBuffer(queue, buf(src).mem(), CL_TRUE, index * Sizeof.cl_float, Sizeof.cl_float, Pointer.to(v), 0, null, null);
        return v[0];
    }

    @Override
    public void copy(Storage src, Storage dst, long n) {
        if (n > 0) {
            clEnqueueCopyBuffer(queue, buf(src).mem(), buf(dst).mem(), 0, 0, n * Sizeof.cl_float, 0, null, null);
        }
    }

    @Override
    public void fill(Storage y, float value, long n) {
        if (n > 0) {
            run1d(call("fill").mem(buf(y)).f32(value).i32(n), n);
        }
    }

    @Override
    public void finish() {
        clFinish(queue);
    }

    // ---- elementwise ------------------------------------------------------------------------

    private void binary(String kernel, Storage a, Storage b, Storage y, long n) {
        run1d(call(kernel).mem(buf(a)).mem(buf(b)).mem(buf(y)).i32(n32(n, kernel)), n);
    }

    @Override
    public void add(Storage a, Storage b, Storage y, long n) {
        binary("add", a, b, y, n);
    }

    @Override
    public void sub(Storage a, Storage b, Storage y, long n) {
        binary("sub", a, b, y, n);
    }

    @Override
    public void mul(Storage a, Storage b, Storage y, long n) {
        binary("mul", a, b, y, n);
    }

    @Override
    public void scale(Storage x, float alpha, Storage y, long n) {
        run1d(call("scale").mem(buf(x)).f32(alpha).mem(buf(y)).i32(n), n);
    }

    @Override
    public void axpy(float alpha, Storage x, Storage y, long n) {
        run1d(call("axpy").f32(alpha).mem(buf(x)).mem(buf(y)).i32(n), n);
    }

    @Override
    public void axpyScalar(float alpha, Storage s, Storage y, long n) {
        run1d(call("axpy_scalar").f32(alpha).mem(buf(s)).mem(buf(y)).i32(n), n);
    }

    @Override
    public void mulAccumulate(Storage dy, Storage b, Storage dx, long n) {
        binary("mul_accumulate", dy, b, dx, n);
    }

    @Override
    public void diffAccumulate(float alpha, Storage s, Storage a, Storage b, Storage dx, long n) {
        run1d(call("diff_accumulate").f32(alpha).mem(buf(s)).mem(buf(a)).mem(buf(b)).mem(buf(dx)).i32(n), n);
    }

    @Override
    public void powForward(Storage x, float p, Storage y, long n) {
        run1d(call("pow_forward").mem(buf(x)).f32(p).mem(buf(y)).i32(n), n);
    }

    @Override
    public void powBackward(Storage x, float p, Storage dy, Storage dx, long n) {
        run1d(call("pow_backward").mem(buf(x)).f32(p).mem(buf(dy)).mem(buf(dx)).i32(n), n);
    }

    @Override
    public void reluForward(Storage x, Storage y, long n) {
        run1d(call("relu_forward").mem(buf(x)).mem(buf(y)).i32(n), n);
    }

    @Override
    public void reluBackward(Storage y, Storage dy, Storage dx, long n) {
        binary("relu_backward", y, dy, dx, n);
    }

    // ---- reductions -------------------------------------------------------------------------

    /** Runs a stage-1 kernel whose last argument is the partial buffer, then sums the partials into out[0]. */
    private void reduce(KernelCall stage1, Storage out) {
        OpenClStorage partial = scratch("reduce", REDUCE_GROUPS);
        stage1.mem(partial).enqueue(queue, new long[]{REDUCE_GROUPS}, new long[]{LOCAL_1D});
        call("reduce_finish").mem(partial).i32(REDUCE_GROUPS).mem(buf(out)).enqueue(queue, new long[]{1}, new long[]{1});
    }

    @Override
    public void sum(Storage x, long n, Storage out) {
        reduce(call("sum_stage1").mem(buf(x)).i32(n), out);
    }

    @Override
    public void sumAbs(Storage x, long n, Storage out) {
        reduce(call("sum_abs_stage1").mem(buf(x)).i32(n), out);
    }

    @Override
    public void sumSquaredDiff(Storage a, Storage b, long n, Storage out) {
        reduce(call("ssd_stage1").mem(buf(a)).mem(buf(b)).i32(n), out);
    }

    @Override
    public void dot(Storage a, Storage b, long n, Storage out) {
        reduce(call("dot_stage1").mem(buf(a)).mem(buf(b)).i32(n), out);
    }

    @Override
    public long countNonFinite(Storage x, long n) {
        OpenClStorage partial = scratch("count", REDUCE_GROUPS);
        OpenClStorage count = scratch("countOut", 1);
        call("count_nonfinite_stage1").mem(buf(x)).i32(n).mem(partial)
                .enqueue(queue, new long[]{REDUCE_GROUPS}, new long[]{LOCAL_1D});
        call("count_finish").mem(partial).i32(REDUCE_GROUPS).mem(count).enqueue(queue, new long[]{1}, new long[]{1});
        int[] v = new int[1];
        transfers.scalarRead(Sizeof.cl_int);
        clEnqueueReadBuffer(queue, count.mem(), CL_TRUE, 0, Sizeof.cl_int, Pointer.to(v), 0, null, null);
        return v[0];
    }

    // ---- matrices ---------------------------------------------------------------------------

    /** out (cols, rows) = in (rows, cols)^T from offset off. */
    private void transpose(Storage in, long off, int rows, int cols, OpenClStorage out) {
        long n = (long) rows * cols;
        run1d(call("transpose").mem(buf(in)).i32(off).i32(rows).i32(cols).mem(out), n32(n, "transpose"));
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                     Storage a, long offA, Storage b, long offB, float beta, Storage c, long offC) {
        // Bring both operands to rows along k: A' (m, k) and B' (n, k), then C = alpha A' B'^T + beta C.
        Storage ap = a;
        long offAp = offA;
        if (transA) { // A is stored (k, m)
            OpenClStorage t = scratch("gemmA", (long) m * k);
            transpose(a, offA, k, m, t);
            ap = t;
            offAp = 0;
        }
        Storage bp = b;
        long offBp = offB;
        if (!transB) { // B is stored (k, n)
            OpenClStorage t = scratch("gemmB", (long) n * k);
            transpose(b, offB, k, n, t);
            bp = t;
            offBp = 0;
        }
        gemmNt(ap, offAp, bp, offBp, m, n, k, alpha, beta, c, offC, false);
    }

    @Override
    public void gram(Storage f, long offF, int c, int m, float alpha, Storage g, long offG) {
        gemmNt(f, offF, f, offF, c, c, m, alpha, 0f, g, offG, tuning.tm() == tuning.tn());
    }

    /** C (m, n) = alpha A B^T + beta C for A (m, k) and B (n, k), row-major. */
    private void gemmNt(Storage a, long offA, Storage b, long offB, int m, int n, int k, float alpha, float beta,
                        Storage c, long offC, boolean symmetric) {
        if (m == 0 || n == 0) {
            return;
        }
        long mn = (long) m * n;
        if (tuning.localTiles() > 0) {
            gemmNtLocal(a, offA, b, offB, m, n, k, alpha, beta, c, offC, symmetric);
            return;
        }
        // Enough chunks to keep the rows read by one chunk in cache, few enough to bound the partials.
        int chunks = Math.max(1, (k + tuning.chunk() - 1) / tuning.chunk());
        chunks = (int) Math.max(1, Math.min(chunks, (1L << 24) / mn));
        int chunk = ((k + chunks - 1) / chunks + 15) / 16 * 16;
        chunks = k == 0 ? 1 : (k + chunk - 1) / chunk;
        OpenClStorage partial = scratch("partial", chunks * mn);
        if (k == 0) {
            fill(partial, 0f, mn);
        }
        int tiles = ((m + tuning.tm() - 1) / tuning.tm()) * ((n + tuning.tn() - 1) / tuning.tn());
        call("gemm_nt_partial").mem(buf(a)).i32(offA).mem(buf(b)).i32(offB).i32(m).i32(n).i32(k).i32(Math.max(chunk, 16))
                .i32(symmetric).mem(partial).enqueue(queue, new long[]{tiles, chunks}, new long[]{1, 1});
        run1d(call("gemm_nt_finish").mem(partial).i32(chunks).i32(m).i32(n).i32(symmetric).i32(tuning.tm()).i32(tuning.tn())
                .f32(alpha).f32(beta).mem(buf(c)).i32(offC), mn);
    }

    /**
     * {@link #gemmNt} through local memory (gemm_nt_local): tiles of C of (d tm) x (d tn) for
     * d x d work-items. When the tiles alone cannot fill the device (a Gram of 64 channels over
     * 262144 pixels is a single tile) k is split into chunks of at least {@code tuning.chunk()},
     * summed in order by gemm_nt_finish, so results do not depend on scheduling.
     */
    private void gemmNtLocal(Storage a, long offA, Storage b, long offB, int m, int n, int k, float alpha, float beta,
                             Storage c, long offC, boolean symmetric) {
        long mn = (long) m * n;
        int d = tuning.localTiles();
        int tileM = d * tuning.tm(), tileN = d * tuning.tn();
        long tilesM = (m + tileM - 1) / tileM, tilesN = (n + tileN - 1) / tileN;
        long groups = symmetric ? tilesM * (tilesM + 1) / 2 : tilesM * tilesN;
        // About four groups per compute unit keep the device busy.
        long wanted = Math.max(1, 4L * Math.max(1, device.computeUnits()));
        long chunks = Math.max(1, Math.min((wanted + groups - 1) / groups, (k + tuning.chunk() - 1) / tuning.chunk()));
        chunks = Math.max(1, Math.min(chunks, (1L << 24) / mn));
        int chunk = (int) (((k + chunks - 1) / chunks + Tuning.KWG - 1) / Tuning.KWG * Tuning.KWG);
        chunks = k == 0 ? 1 : (k + chunk - 1) / chunk;
        OpenClStorage partial = scratch("partial", chunks * mn);
        call("gemm_nt_local").mem(buf(a)).i32(offA).mem(buf(b)).i32(offB).i32(m).i32(n).i32(k).i32(Math.max(chunk, Tuning.KWG))
                .i32(symmetric).mem(partial)
                .enqueue(queue, new long[]{tilesN * d, tilesM * d, chunks}, new long[]{d, d, 1});
        run1d(call("gemm_nt_finish").mem(partial).i32(chunks).i32(m).i32(n).i32(symmetric).i32(tileM).i32(tileN)
                .f32(alpha).f32(beta).mem(buf(c)).i32(offC), mn);
    }

    // ---- convolution ------------------------------------------------------------------------

    /** Packs w (kout, cin, r, s) (or its flipped transpose) into tiles of KT output channels. */
    private OpenClStorage packWeights(Storage w, int kout, int cin, int r, int s, boolean flip) {
        int kt = tuning.channelsPerTile();
        long kblocks = (kout + kt - 1) / kt, crs = (long) cin * r * s;
        OpenClStorage wp = scratch("packedWeights", kblocks * kt * crs);
        call("pack_weights").mem(buf(w)).mem(wp).i32(kout).i32(cin).i32(r).i32(s).i32(flip)
                .enqueue(queue, new long[]{crs, kblocks}, new long[]{64, 1});
        return wp;
    }

    /** y (n, k, oh, ow) (+)= conv(x (n, c, h, w), packed weights) with the given stride and padding. */
    private void convDirect(Storage x, OpenClStorage wp, Storage bias, Storage y, int n, int c, int h, int w,
                            int k, int r, int s, int oh, int ow, int sh, int sw, int ph, int pw, boolean accumulate) {
        int kt = tuning.channelsPerTile();
        long kblocks = (k + kt - 1) / kt;
        long cols = tuning.rowLoop() ? 1 : (ow + tuning.px() - 1) / tuning.px();
        OpenClStorage b = bias == null ? wp : buf(bias);
        call("conv_forward").mem(buf(x)).mem(wp).mem(b).mem(buf(y))
                .i32(n).i32(c).i32(h).i32(w).i32(k).i32(r).i32(s).i32(oh).i32(ow).i32(sh).i32(sw).i32(ph).i32(pw)
                .i32(accumulate).i32(bias != null)
                .enqueue(queue, new long[]{cols, oh, n * kblocks}, new long[]{tuning.convLocal(), 1, 1});
    }

    /** Largest output (pixels per image) that a device with local-memory GEMM tiles convolves by GEMM. */
    static final int GEMM_CONV_MAX_PIXELS = 128 * 128;

    /**
     * Whether a convolution with oh x ow outputs goes through the tiled GEMM: on GPUs for the
     * small late-layer images, where the direct kernel has too few work-items to fill the device.
     */
    private boolean convolvesByGemm(int oh, int ow) {
        return tuning.localTiles() > 0 && (long) oh * ow <= GEMM_CONV_MAX_PIXELS;
    }

    /** y[n] (k, oh ow) = wm (k, c r s) colsT(x[n])^T (+ bias), added to y when accumulating. */
    private void convByGemm(Storage x, Storage wm, Storage bias, Storage y, int n, int c, int h, int w,
                            int k, int r, int s, int oh, int ow, int sh, int sw, int ph, int pw, boolean accumulate) {
        int crs = c * r * s, p = oh * ow;
        OpenClStorage cols = scratch("colsT", (long) p * crs);
        for (int img = 0; img < n; img++) {
            run1d(call("im2col_t").mem(buf(x)).mem(cols).i32(img).i32(c).i32(h).i32(w).i32(r).i32(s)
                    .i32(oh).i32(ow).i32(sh).i32(sw).i32(ph).i32(pw), (long) p * crs);
            gemmNt(wm, 0, cols, 0, k, p, crs, 1f, accumulate ? 1f : 0f, y, (long) img * k * p, false);
            if (bias != null) {
                run1d(call("add_channel_bias").mem(buf(y)).mem(buf(bias)).i32(img).i32(k).i32(p), (long) k * p);
            }
        }
    }

    @Override
    public void conv2dForward(ConvGeometry g, Storage x, Storage w, Storage bias, Storage y) {
        if (convolvesByGemm(g.outH(), g.outW())) {
            convByGemm(x, w, bias, y, g.n(), g.c(), g.h(), g.w(), g.k(), g.r(), g.s(), g.outH(), g.outW(),
                    g.strideH(), g.strideW(), g.padH(), g.padW(), false);
            return;
        }
        OpenClStorage wp = packWeights(w, g.k(), g.c(), g.r(), g.s(), false);
        convDirect(x, wp, bias, y, g.n(), g.c(), g.h(), g.w(), g.k(), g.r(), g.s(), g.outH(), g.outW(),
                g.strideH(), g.strideW(), g.padH(), g.padW(), false);
    }

    @Override
    public void conv2dBackwardData(ConvGeometry g, Storage dy, Storage w, Storage dx) {
        // forward: y = conv(x, w)  =>  dx += conv_transpose(dy, w)
        if (g.strideH() == 1 && g.strideW() == 1 && g.padH() <= g.r() - 1 && g.padW() <= g.s() - 1) {
            // Stride 1: a forward convolution of dy, padded by r-1-p, with w rotated 180 degrees
            // and its channels swapped.
            if (convolvesByGemm(g.h(), g.w())) {
                OpenClStorage wr = scratch("rotatedWeights", g.weightSize());
                run1d(call("rotate_weights").mem(buf(w)).mem(wr).i32(g.k()).i32(g.c()).i32(g.r()).i32(g.s()), g.weightSize());
                convByGemm(dy, wr, null, dx, g.n(), g.k(), g.outH(), g.outW(), g.c(), g.r(), g.s(), g.h(), g.w(),
                        1, 1, g.r() - 1 - g.padH(), g.s() - 1 - g.padW(), true);
                return;
            }
            OpenClStorage wp = packWeights(w, g.c(), g.k(), g.r(), g.s(), true);
            convDirect(dy, wp, null, dx, g.n(), g.k(), g.outH(), g.outW(), g.c(), g.r(), g.s(), g.h(), g.w(),
                    1, 1, g.r() - 1 - g.padH(), g.s() - 1 - g.padW(), true);
            return;
        }
        // Any stride: dcols = W^T dy[n] by GEMM, then fold the columns back onto dx.
        int crs = g.c() * g.r() * g.s(), p = g.outH() * g.outW();
        OpenClStorage dcols = scratch("cols", (long) crs * p);
        for (int n = 0; n < g.n(); n++) {
            gemm(true, false, crs, p, g.k(), 1f, w, 0, dy, (long) n * g.k() * p, 0f, dcols, 0);
            run1d(call("col2im_accumulate").mem(dcols).mem(buf(dx)).i32(n).i32(g.c()).i32(g.h()).i32(g.w())
                    .i32(g.r()).i32(g.s()).i32(g.outH()).i32(g.outW()).i32(g.strideH()).i32(g.strideW())
                    .i32(g.padH()).i32(g.padW()), (long) g.c() * g.h() * g.w());
        }
    }

    @Override
    public void conv2dBackwardWeights(ConvGeometry g, Storage x, Storage dy, Storage dw, Storage dbias) {
        // forward: y[k] = sum_c w[k][c] * x[c]  =>  dw += dy[n] cols(x[n])^T, dbias[k] += sum dy[n][k]
        int crs = g.c() * g.r() * g.s(), p = g.outH() * g.outW();
        if (dw != null) {
            OpenClStorage cols = scratch("cols", (long) crs * p);
            for (int n = 0; n < g.n(); n++) {
                run1d(call("im2col").mem(buf(x)).mem(cols).i32(n).i32(g.c()).i32(g.h()).i32(g.w()).i32(g.r()).i32(g.s())
                        .i32(g.outH()).i32(g.outW()).i32(g.strideH()).i32(g.strideW()).i32(g.padH()).i32(g.padW()),
                        (long) crs * p);
                gemmNt(dy, (long) n * g.k() * p, cols, 0, g.k(), crs, p, 1f, 1f, dw, 0, false);
            }
        }
        if (dbias != null) {
            run1d(call("bias_backward").mem(buf(dy)).mem(buf(dbias)).i32(g.n()).i32(g.k()).i32(p), g.k());
        }
    }

    // ---- pooling ----------------------------------------------------------------------------

    private KernelCall poolShape(KernelCall call, PoolGeometry g) {
        return call.i32(g.n() * g.c()).i32(g.h()).i32(g.w()).i32(g.outH()).i32(g.outW())
                .i32(g.kernelH()).i32(g.kernelW()).i32(g.strideH()).i32(g.strideW()).i32(g.padH()).i32(g.padW());
    }

    @Override
    public void maxPool2dForward(PoolGeometry g, Storage x, Storage y) {
        run1d(poolShape(call("max_pool_forward").mem(buf(x)).mem(buf(y)), g), g.outputSize());
    }

    @Override
    public void maxPool2dBackward(PoolGeometry g, Storage x, Storage dy, Storage dx) {
        run1d(poolShape(call("max_pool_backward").mem(buf(x)).mem(buf(dy)).mem(buf(dx)), g), g.inputSize());
    }

    @Override
    public void avgPool2dForward(PoolGeometry g, Storage x, Storage y) {
        run1d(poolShape(call("avg_pool_forward").mem(buf(x)).mem(buf(y)), g), g.outputSize());
    }

    @Override
    public void avgPool2dBackward(PoolGeometry g, Storage dy, Storage dx) {
        run1d(poolShape(call("avg_pool_backward").mem(buf(dy)).mem(buf(dx)), g), g.inputSize());
    }

    // ---- total variation --------------------------------------------------------------------

    @Override
    public void totalVariationForward(Storage x, int n, int c, int h, int w, float beta, float eps, Storage out) {
        long total = (long) n * c * h * w;
        reduce(call("tv_stage1").mem(buf(x)).i32(n32(total, "tv")).i32(h).i32(w).f32(beta).f32(eps), out);
    }

    @Override
    public void totalVariationBackward(Storage x, int n, int c, int h, int w, float beta, float eps, Storage s, Storage dx) {
        long total = (long) n * c * h * w;
        run1d(call("tv_backward").mem(buf(x)).i32(n32(total, "tv")).i32(h).i32(w).f32(beta).f32(eps)
                .mem(buf(s)).mem(buf(dx)), total);
    }

    // ---- image helpers ----------------------------------------------------------------------

    @Override
    public void clampChannelsInPlace(Storage x, int n, int c, int hw, float[] lo, float[] hi) {
        // The bounds rarely change during a run: upload them only when they do.
        if (clampLoBuf == null || !Arrays.equals(lo, clampLo) || !Arrays.equals(hi, clampHi)) {
            if (clampLoBuf != null) {
                clampLoBuf.release();
                clampHiBuf.release();
            }
            clampLoBuf = (OpenClStorage) upload(lo);
            clampHiBuf = (OpenClStorage) upload(hi);
            clampLo = lo.clone();
            clampHi = hi.clone();
        }
        long total = (long) n * c * hw;
        run1d(call("clamp_channels").mem(buf(x)).i32(n32(total, "clamp")).i32(c).i32(hw).mem(clampLoBuf).mem(clampHiBuf), total);
    }

    @Override
    public void roll(Storage x, int n, int c, int h, int w, int shiftY, int shiftX, Storage y) {
        long total = (long) n * c * h * w;
        run1d(call("roll").mem(buf(x)).mem(buf(y)).i32(n32(total, "roll")).i32(h).i32(w)
                .i32(Math.floorMod(shiftY, h)).i32(Math.floorMod(shiftX, w)), total);
    }

    @Override
    public void cropWindow(Storage x, int n, int c, int h, int w, int y0, int x0, int th, int tw, Storage out) {
        long total = (long) n * c * th * tw;
        run1d(call("crop_window").mem(buf(x)).mem(buf(out)).i32(n32(total, "crop")).i32(h).i32(w)
                .i32(y0).i32(x0).i32(th).i32(tw), total);
    }

    @Override
    public void addWindow(Storage t, int n, int c, int th, int tw, Storage x, int h, int w, int y0, int x0) {
        long total = (long) n * c * th * tw;
        run1d(call("add_window").mem(buf(t)).mem(buf(x)).i32(n32(total, "addWindow")).i32(th).i32(tw)
                .i32(h).i32(w).i32(y0).i32(x0), total);
    }

    // ---- optimiser --------------------------------------------------------------------------

    @Override
    public void adamUpdate(Storage p, Storage g, Storage m, Storage v, long n,
                           float lr, float beta1, float beta2, float eps, int t) {
        float c1 = 1f - (float) Math.pow(beta1, t), c2 = 1f - (float) Math.pow(beta2, t);
        run1d(call("adam_update").mem(buf(p)).mem(buf(g)).mem(buf(m)).mem(buf(v)).i32(n32(n, "adam"))
                .f32(lr).f32(beta1).f32(beta2).f32(eps).f32(c1).f32(c2), n);
    }
}
