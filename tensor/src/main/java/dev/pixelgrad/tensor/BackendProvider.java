package dev.pixelgrad.tensor;

import java.util.List;

/**
 * A source of backends found at run time through {@link java.util.ServiceLoader}; the OpenCL
 * module registers one, so the engine needs no compile-time link to it.
 */
public interface BackendProvider {

    /** The prefix of device specs this provider answers, e.g. {@code opencl}. */
    String prefix();

    /** One line per device it could open, for {@code pixelgrad devices}; never throws. */
    List<DeviceDescription> describe();

    /**
     * Opens the backend for a spec such as {@code opencl} (its preferred device) or
     * {@code opencl:0:1} (platform 0, device 1).
     *
     * @throws BackendUnavailableException with a one-line reason when it cannot
     */
    Backend open(String spec) throws BackendUnavailableException;

    /** A device as listed by {@code pixelgrad devices}. */
    record DeviceDescription(String spec, String summary, boolean selfTestPassed) {
    }
}
