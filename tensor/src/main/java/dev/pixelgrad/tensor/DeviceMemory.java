package dev.pixelgrad.tensor;

/**
 * An optional capability: a backend whose buffers live in a memory of known size (an OpenCL
 * device's), so that a program can tell before a run whether the run's tensors fit. Backends
 * without it keep their buffers in the Java heap, whose size is {@code Runtime.maxMemory()}.
 */
public interface DeviceMemory {
    /** Bytes of memory the device has for buffers in all (OpenCL's CL_DEVICE_GLOBAL_MEM_SIZE). */
    long memoryBytes();

    /** Bytes one buffer may have at most (OpenCL's CL_DEVICE_MAX_MEM_ALLOC_SIZE). */
    long maxBufferBytes();

    /** The most bytes of buffers this backend has held at once so far (a run's peak device memory). */
    long peakBytes();
}
