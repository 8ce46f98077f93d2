package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Backends;
import picocli.CommandLine.Option;

/** The --device option of every command that computes; no default value, so null means $PIXELGRAD_DEVICE, else auto. */
final class DeviceOption {
    @Option(names = "--device", paramLabel = "SPEC", converter = Checked.Device.class,
            description = "auto, java, opencl or opencl:P:D (default: $PIXELGRAD_DEVICE, else auto).")
    String spec;

    /**
     * Opens the chosen backend; a fallback (e.g. no usable OpenCL device) is reported on stderr, and
     * a $PIXELGRAD_DEVICE that names no device is an IllegalArgumentException saying so.
     */
    Backend backend() {
        return Backends.select(spec, msg -> System.err.println("pixelgrad: " + msg));
    }
}
