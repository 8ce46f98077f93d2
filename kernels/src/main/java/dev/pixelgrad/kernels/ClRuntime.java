package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Storage;
import dev.pixelgrad.tensor.io.PixelgradHome;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.jocl.CL.*;

/**
 * One OpenCL device made ready to run kernels: its context and in-order queue, the two programs,
 * every kernel by name, device buffers (allocation, transfers the host counts, reused scratch
 * buffers) and launches. The kernel families ({@link ClGemm}, {@link ClConvolution},
 * {@link ClReductions}, {@link ClImageKernels}) and the backend adapter build on it; the tuner
 * builds one per candidate {@link Tuning}.
 *
 * <p>Two programs: {@code base} (elementwise, reductions, pooling, image helpers; built with
 * the {@code -D} options of the image kernels' {@link ClImageKernels.Shapes}, by device type)
 * and {@code tuned} (convolution and GEMM, built with the {@code -D} options of a {@link Tuning}).
 * The queue is in order, so a scratch buffer reused by a later kernel is never overwritten while
 * an earlier one still reads it.
 */
final class ClRuntime implements AutoCloseable {
    /** Work-group size of the one-dimensional kernels: fixed, as each new size is a new compile. */
    static final long LOCAL_1D = 256;

    private final DeviceInfo device;
    private final Tuning tuning;
    private final ClImageKernels.Shapes imageShapes;
    private final Backend owner;
    private final cl_context context;
    private final cl_command_queue queue;
    private final ProgramCache cache;
    private final cl_program base;
    private final cl_program tuned;
    /** Every kernel of both programs, created once after they are built. */
    private final Map<String, cl_kernel> kernels;
    private final Map<String, OpenClStorage> scratch = new HashMap<>();
    private final BufferAccounting accounting = new BufferAccounting();
    /** Released buffers for reuse: up to a quarter of a GPU's memory, a thirty-second of a CPU device's. */
    private final BufferPool pool;
    private final TransferCounter transfers = new TransferCounter();

    /**
     * Builds (or loads from the binary cache) both programs for {@code device}. {@code owner} is
     * the backend its buffers report as theirs; null for the tuner's candidates, whose buffers
     * never become tensors.
     */
    ClRuntime(DeviceInfo device, Tuning tuning, Backend owner) {
        this(device, tuning, ClImageKernels.Shapes.forDevice(device), owner);
    }

    /** As above with the image kernels' launch shapes given (tests run the GPU ones on any device). */
    ClRuntime(DeviceInfo device, Tuning tuning, ClImageKernels.Shapes imageShapes, Backend owner) {
        this.device = device;
        // A CPU device's buffers are the machine's own memory: keep fewer of them there.
        this.pool = new BufferPool(device.globalMemBytes() / (device.isCpu() ? 32 : 4));
        this.imageShapes = imageShapes;
        this.tuning = tuning;
        this.owner = owner;
        cl_context_properties props = new cl_context_properties();
        props.addProperty(CL_CONTEXT_PLATFORM, device.platform());
        this.context = clCreateContext(props, 1, new cl_device_id[]{device.device()}, null, null, null);
        this.queue = clCreateCommandQueue(context, device.device(), 0, null);
        this.cache = new ProgramCache(PixelgradHome.dir());
        this.base = cache.build(context, device, "base kernels",
                ProgramCache.source("common.cl", "elementwise.cl", "reduce.cl", "pool.cl", "image.cl", "resize.cl"),
                imageShapes.defines());
        this.tuned = cache.build(context, device, "convolution and GEMM kernels",
                ProgramCache.source("common.cl", "conv.cl", "conv_rows.cl", "gemm.cl", "winograd.cl"), tuning.defines());
        this.kernels = createKernels(base, tuned);
    }

    /** Every kernel of {@code programs} by name; a name defined twice is an error. */
    private static Map<String, cl_kernel> createKernels(cl_program... programs) {
        Map<String, cl_kernel> map = new HashMap<>();
        for (cl_program p : programs) {
            for (String name : kernelNames(p)) {
                if (map.put(name, clCreateKernel(p, name, null)) != null) {
                    throw new IllegalStateException("opencl: kernel " + name + " is defined in two programs; "
                            + "rename one of them in the .cl sources");
                }
            }
        }
        return Map.copyOf(map);
    }

    private static List<String> kernelNames(cl_program p) {
        long[] size = new long[1];
        clGetProgramInfo(p, CL_PROGRAM_KERNEL_NAMES, 0, null, size);
        byte[] names = new byte[(int) size[0]];
        clGetProgramInfo(p, CL_PROGRAM_KERNEL_NAMES, names.length, Pointer.to(names), null);
        return Arrays.stream(DeviceInfo.cString(names).split(";")).map(String::trim).filter(n -> !n.isEmpty()).toList();
    }

    /** The most bytes of buffers (tensors and scratch) held at once since the runtime opened. */
    long peakBufferBytes() {
        return accounting.peak();
    }

    DeviceInfo device() {
        return device;
    }

    /** The tile sizes the tuned program was built with. */
    Tuning tuning() {
        return tuning;
    }

    /** The launch shapes the base program's image kernels were built for. */
    ClImageKernels.Shapes imageShapes() {
        return imageShapes;
    }

    TransferCounter transfers() {
        return transfers;
    }

    ProgramCache programCache() {
        return cache;
    }

    cl_context context() {
        return context;
    }

    // ---- launches ---------------------------------------------------------------------------

    /** A call of the kernel {@code name}, ready for its arguments. */
    KernelCall call(String name) {
        cl_kernel k = kernels.get(name);
        if (k == null) {
            throw new IllegalStateException("opencl: no kernel named " + name + " on " + device.name()
                    + "; is it missing from the .cl sources?");
        }
        return KernelCall.of(k, name);
    }

    /** Launches over {@code global} work-items in groups of {@code local}. */
    void run(KernelCall call, long[] global, long[] local) {
        call.enqueue(queue, global, local);
    }

    /** Launches one work-item per element of {@code n}, in groups of {@link #LOCAL_1D}. */
    void run1d(KernelCall call, long n) {
        run(call, new long[]{Math.max(1, n)}, new long[]{LOCAL_1D});
    }

    /** Waits until the queue is empty. */
    void finish() {
        clFinish(queue);
    }

    /** The OpenCL buffer of {@code s}, which must come from an OpenCL backend. */
    static OpenClStorage buf(Storage s) {
        if (!(s instanceof OpenClStorage o)) {
            throw new IllegalArgumentException("opencl backend: got a buffer of backend "
                    + (s == null ? "null" : s.backend().name()) + "; move the tensor with tensor.to(backend)");
        }
        return o;
    }

    /** {@code n} as the 32-bit count a kernel indexes with, or an error naming {@code op}. */
    static int n32(long n, String op) {
        if (n < 0 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("opencl " + op + ": " + n
                    + " elements exceed the 2^31 a kernel indexes; use a smaller --size");
        }
        return (int) n;
    }

    // ---- buffers ----------------------------------------------------------------------------

    /** A new zero-filled buffer of {@code n} floats. */
    OpenClStorage allocate(long n) {
        OpenClStorage s = allocateRaw(n, null);
        fill(s, 0f, n);
        return s;
    }

    /** A new buffer holding a copy of {@code data} (one upload). */
    OpenClStorage upload(float[] data) {
        transfers.upload((long) data.length * Sizeof.cl_float);
        return allocateRaw(data.length, data.length == 0 ? null : data);
    }

    /** Copies the whole of {@code src} into {@code dst} (one download). */
    void download(Storage src, float[] dst) {
        long n = src.size();
        if (n == 0) {
            return;
        }
        transfers.download(n * Sizeof.cl_float);
        clEnqueueReadBuffer(queue, buf(src).mem(), CL_TRUE, 0, n * Sizeof.cl_float, Pointer.to(dst), 0, null, null);
    }

    /** Element {@code index} of a float buffer (one scalar read). */
    float readScalar(Storage src, long index) {
        float[] v = new float[1];
        transfers.scalarRead(Sizeof.cl_float);
        clEnqueueReadBuffer(queue, buf(src).mem(), CL_TRUE, index * Sizeof.cl_float, Sizeof.cl_float, Pointer.to(v), 0, null, null);
        return v[0];
    }

    /** Element 0 of a buffer that a kernel wrote as an int (one scalar read). */
    int readInt(OpenClStorage src) {
        int[] v = new int[1];
        transfers.scalarRead(Sizeof.cl_int);
        clEnqueueReadBuffer(queue, src.mem(), CL_TRUE, 0, Sizeof.cl_int, Pointer.to(v), 0, null, null);
        return v[0];
    }

    /** dst[0:n] = src[0:n], on the device. */
    void copy(Storage src, Storage dst, long n) {
        if (n > 0) {
            clEnqueueCopyBuffer(queue, buf(src).mem(), buf(dst).mem(), 0, 0, n * Sizeof.cl_float, 0, null, null);
            buf(dst).markWritten();
        }
    }

    /** y[0:n] = value. */
    void fill(Storage y, float value, long n) {
        if (n > 0) {
            run1d(call("fill").mem(buf(y)).f32(value).i32(n), n);
        }
    }

    /** A scratch buffer of at least {@code n} floats for {@code role}, reused between calls. */
    OpenClStorage scratch(String role, long n) {
        OpenClStorage s = scratch.get(role);
        if (s == null || s.size() < n) {
            if (s != null) {
                s.release();
            }
            s = allocateRaw(Math.max(n, 1), null);
            scratch.put(role, s);
        }
        return s;
    }

    /**
     * A kept buffer of the same size when there is one (uploads always get a new one), else a new
     * buffer, after freeing the kept ones and one garbage collection when the device is full.
     */
    private OpenClStorage allocateRaw(long n, float[] init) {
        long bytes = n * Sizeof.cl_float;
        String size = String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
        if (bytes > device.maxAllocBytes()) {
            throw new IllegalStateException("opencl: a tensor of " + size + " exceeds the largest buffer "
                    + device.name() + " allows (" + (device.maxAllocBytes() >> 20) + " MiB); use a smaller --size or --device java");
        }
        cl_mem mem = init == null ? pool.take(OpenClStorage.bytes(n)) : null;
        if (mem == null) {
            try {
                mem = createBuffer(n, init);
            } catch (CLException first) {
                pool.clear();
                System.gc(); // unreachable tensors release their buffers through the cleaner
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                pool.clear();
                try {
                    mem = createBuffer(n, init);
                } catch (CLException second) {
                    throw new IllegalStateException("opencl: out of device memory allocating a tensor of " + size
                            + " on " + device.name() + " (" + second.getMessage() + "); use a smaller --size or --device java", second);
                }
            }
        }
        return new OpenClStorage(owner, mem, n, accounting, pool);
    }

    private cl_mem createBuffer(long n, float[] init) {
        long bytes = Math.max(1, n) * Sizeof.cl_float;
        long flags = init == null ? CL_MEM_READ_WRITE : CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR;
        return clCreateBuffer(context, flags, bytes, init == null ? null : Pointer.to(init), null);
    }

    /**
     * Frees the scratch buffers, kernels, programs, queue and context. Buffers still alive on this
     * runtime become unusable. Only for runtimes made apart from the provider's shared backend.
     */
    @Override
    public synchronized void close() {
        scratch.values().forEach(OpenClStorage::release);
        scratch.clear();
        pool.clear();
        kernels.values().forEach(org.jocl.CL::clReleaseKernel);
        clReleaseProgram(base);
        clReleaseProgram(tuned);
        clReleaseCommandQueue(queue);
        clReleaseContext(context);
    }
}
