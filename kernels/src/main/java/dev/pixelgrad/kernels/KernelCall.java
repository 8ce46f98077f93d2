package dev.pixelgrad.kernels;

import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import static org.jocl.CL.clEnqueueNDRangeKernel;
import static org.jocl.CL.clSetKernelArg;

/**
 * Sets a kernel's arguments in order, each with its type, then enqueues it:
 * {@code KernelCall.of(kernel).mem(x).i32(n).f32(alpha).enqueue(queue, global, local)}.
 * The kernel object is locked from the first argument to the enqueue, because OpenCL kernel
 * arguments are shared state. Buffers passed with {@link #mem(OpenClStorage)} count as written
 * by the launch ({@link OpenClStorage#markWritten()}); {@link #in(OpenClStorage)} declares one
 * that the kernel only reads.
 */
final class KernelCall {
    private final cl_kernel kernel;
    private final String name;
    private final Object[] args = new Object[32];
    private int count;
    /** The buffers the launch may write. */
    private final OpenClStorage[] written = new OpenClStorage[32];
    private int writes;

    private KernelCall(cl_kernel kernel, String name) {
        this.kernel = kernel;
        this.name = name;
    }

    static KernelCall of(cl_kernel kernel, String name) {
        return new KernelCall(kernel, name);
    }

    /** A buffer the kernel may write (the safe default: its write stamp changes). */
    KernelCall mem(OpenClStorage s) {
        written[writes++] = s;
        return mem(s.mem());
    }

    /** A buffer the kernel only reads: its write stamp stays. */
    KernelCall in(OpenClStorage s) {
        return mem(s.mem());
    }

    private KernelCall mem(cl_mem m) {
        args[count++] = m;
        return this;
    }

    KernelCall i32(long v) {
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new IllegalArgumentException("opencl " + name + ": argument " + count + " = " + v
                    + " does not fit a 32-bit int; use a smaller --size");
        }
        args[count++] = (int) v;
        return this;
    }

    KernelCall i32(boolean flag) {
        return i32(flag ? 1 : 0);
    }

    KernelCall f32(float v) {
        args[count++] = v;
        return this;
    }

    /** Launches over {@code global} work-items (rounded up to multiples of {@code local}). */
    void enqueue(cl_command_queue queue, long[] global, long[] local) {
        long[] g = new long[global.length];
        for (int d = 0; d < g.length; d++) {
            g[d] = Math.max(1, (global[d] + local[d] - 1) / local[d]) * local[d];
        }
        synchronized (kernel) {
            for (int i = 0; i < count; i++) {
                Object a = args[i];
                if (a instanceof cl_mem m) {
                    clSetKernelArg(kernel, i, Sizeof.cl_mem, Pointer.to(m));
                } else if (a instanceof Integer v) {
                    clSetKernelArg(kernel, i, Sizeof.cl_int, Pointer.to(new int[]{v}));
                } else {
                    clSetKernelArg(kernel, i, Sizeof.cl_float, Pointer.to(new float[]{(Float) a}));
                }
            }
            clEnqueueNDRangeKernel(queue, kernel, g.length, null, g, local, 0, null, null);
        }
        for (int i = 0; i < writes; i++) {
            written[i].markWritten();
        }
    }
}
