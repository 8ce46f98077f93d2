package dev.pixelgrad.kernels;

import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.jocl.CL.*;

/** What the host needs to know about one OpenCL device, read once through JOCL. */
record DeviceInfo(cl_platform_id platform, cl_device_id device, int platformIndex, int deviceIndex,
                  String name, String vendor, String platformName, String driverVersion,
                  String openclCVersion, long type, int computeUnits, long globalMemBytes,
                  long localMemBytes, boolean localMemIsReal, long maxAllocBytes, long maxWorkGroupSize,
                  int nativeFloatWidth) {

    /** The spec that opens this device: {@code opencl:P:D}. */
    String spec() {
        return "opencl:" + platformIndex + ":" + deviceIndex;
    }

    /**
     * Names this device's files in the cache: the first 16 hex digits of
     * {@code sha256(name + "\n" + driverVersion)}, so a new driver starts afresh.
     */
    String key() {
        return ProgramCache.sha256(name + "\n" + driverVersion).substring(0, 16);
    }

    /** A file of this device's state: {@code home/opencl/KIND-KEY.EXT}, e.g. its tuning. */
    Path stateFile(Path home, String kind, String extension) {
        return ProgramCache.dir(home).resolve(kind + "-" + key() + extension);
    }

    boolean isGpu() {
        return (type & CL_DEVICE_TYPE_GPU) != 0;
    }

    boolean isCpu() {
        return (type & CL_DEVICE_TYPE_CPU) != 0;
    }

    String typeName() {
        return isGpu() ? "GPU" : isCpu() ? "CPU" : (type & CL_DEVICE_TYPE_ACCELERATOR) != 0 ? "accelerator" : "other";
    }

    /** One line for {@code pixelgrad devices}. */
    String summary() {
        return String.format(Locale.ROOT, "%s [%s] %s, %d compute units, %d MiB global, %d KiB local (%s), %s, driver %s",
                name, typeName(), vendor, computeUnits, globalMemBytes >> 20, localMemBytes >> 10,
                localMemIsReal ? "dedicated" : "emulated in global memory", openclCVersion, driverVersion);
    }

    /** Every device of every platform; throws JOCL's exceptions when OpenCL itself is missing. */
    static List<DeviceInfo> all() {
        CL.setExceptionsEnabled(true);
        int[] count = new int[1];
        clGetPlatformIDs(0, null, count);
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        clGetPlatformIDs(platforms.length, platforms, null);
        List<DeviceInfo> list = new ArrayList<>();
        for (int p = 0; p < platforms.length; p++) {
            int[] n = new int[1];
            try {
                clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 0, null, n);
            } catch (RuntimeException e) {
                continue; // a platform without devices reports CL_DEVICE_NOT_FOUND
            }
            cl_device_id[] devices = new cl_device_id[n[0]];
            clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, devices.length, devices, null);
            String platformName = platformString(platforms[p], CL_PLATFORM_NAME);
            for (int d = 0; d < devices.length; d++) {
                cl_device_id dev = devices[d];
                list.add(new DeviceInfo(platforms[p], dev, p, d,
                        deviceString(dev, CL_DEVICE_NAME), deviceString(dev, CL_DEVICE_VENDOR), platformName,
                        deviceString(dev, CL_DRIVER_VERSION), deviceString(dev, CL_DEVICE_OPENCL_C_VERSION),
                        deviceLong(dev, CL_DEVICE_TYPE), (int) deviceInt(dev, CL_DEVICE_MAX_COMPUTE_UNITS),
                        deviceLong(dev, CL_DEVICE_GLOBAL_MEM_SIZE), deviceLong(dev, CL_DEVICE_LOCAL_MEM_SIZE),
                        deviceInt(dev, CL_DEVICE_LOCAL_MEM_TYPE) == CL_LOCAL,
                        deviceLong(dev, CL_DEVICE_MAX_MEM_ALLOC_SIZE), deviceSizeT(dev, CL_DEVICE_MAX_WORK_GROUP_SIZE),
                        (int) deviceInt(dev, CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT)));
            }
        }
        return list;
    }

    private static String deviceString(cl_device_id dev, int param) {
        long[] size = new long[1];
        clGetDeviceInfo(dev, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetDeviceInfo(dev, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    private static String platformString(cl_platform_id platform, int param) {
        long[] size = new long[1];
        clGetPlatformInfo(platform, param, 0, null, size);
        byte[] buf = new byte[(int) size[0]];
        clGetPlatformInfo(platform, param, buf.length, Pointer.to(buf), null);
        return cString(buf);
    }

    /** A NUL-terminated string as OpenCL returns it. */
    static String cString(byte[] buf) {
        int len = 0;
        while (len < buf.length && buf[len] != 0) {
            len++;
        }
        return new String(buf, 0, len, StandardCharsets.UTF_8).trim();
    }

    private static long deviceLong(cl_device_id dev, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(dev, param, Sizeof.cl_ulong, Pointer.to(v), null);
        return v[0];
    }

    private static long deviceInt(cl_device_id dev, int param) {
        int[] v = new int[1];
        clGetDeviceInfo(dev, param, Sizeof.cl_uint, Pointer.to(v), null);
        return v[0] & 0xffffffffL;
    }

    private static long deviceSizeT(cl_device_id dev, int param) {
        long[] v = new long[1];
        clGetDeviceInfo(dev, param, Sizeof.size_t, Pointer.to(v), null);
        return v[0];
    }
}
