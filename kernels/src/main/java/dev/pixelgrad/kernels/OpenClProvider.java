package dev.pixelgrad.kernels;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.BackendProvider;
import dev.pixelgrad.tensor.BackendUnavailableException;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.ConvGeometry;
import dev.pixelgrad.tensor.Storage;
import dev.pixelgrad.tensor.Tunable;
import dev.pixelgrad.tensor.io.AtomicFiles;
import dev.pixelgrad.tensor.io.PixelgradHome;
import org.jocl.CLException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Finds OpenCL devices for {@link Backends}: {@code opencl} opens the best device (a GPU first),
 * {@code opencl:P:D} a given one, and {@code auto} an OpenCL GPU, else whichever of OpenCL-on-CPU
 * and the Java backend runs a VGG convolution faster, both directions ({@link AutoChoice}, saved on disk).
 * Every failure becomes one line in a {@link BackendUnavailableException}. {@code pixelgrad tune}
 * reaches the {@link Tuner} through here ({@link Tunable}).
 */
public final class OpenClProvider implements BackendProvider, Backends.AutoSelecting, Tunable {
    /** One backend per device and JVM: contexts and compiled programs are expensive. */
    private static final Map<String, OpenClBackend> OPEN = new ConcurrentHashMap<>();
    /** Backends whose self-test passed in this JVM (it runs once per device). */
    private static final java.util.Set<OpenClBackend> TESTED = ConcurrentHashMap.newKeySet();

    @Override
    public String prefix() {
        return "opencl";
    }

    /** The devices, or a one-line reason why OpenCL cannot be used here. */
    static List<DeviceInfo> devices() throws BackendUnavailableException {
        List<DeviceInfo> list;
        try {
            list = DeviceInfo.all();
        } catch (LinkageError e) {
            throw new BackendUnavailableException("opencl: no OpenCL library could be loaded (" + oneLine(e)
                    + "); install an OpenCL driver (e.g. pocl-opencl-icd) and libOpenCL.so (e.g. ocl-icd-opencl-dev)");
        } catch (CLException e) {
            throw new BackendUnavailableException("opencl: no OpenCL platform found (" + oneLine(e)
                    + "); install an OpenCL driver such as pocl-opencl-icd");
        } catch (RuntimeException e) {
            throw new BackendUnavailableException("opencl: cannot list devices (" + oneLine(e) + ")");
        }
        if (list.isEmpty()) {
            throw new BackendUnavailableException("opencl: no OpenCL device found; install an OpenCL driver such as pocl-opencl-icd");
        }
        return list;
    }

    /** The first line of t's message (or its class name). */
    static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public List<DeviceDescription> describe() {
        List<DeviceDescription> out = new ArrayList<>();
        try {
            for (DeviceInfo d : devices()) {
                boolean ok;
                String note;
                try {
                    selfTest(backendFor(d));
                    ok = true;
                    note = "self-test passed";
                } catch (BackendUnavailableException | RuntimeException | LinkageError e) {
                    ok = false;
                    note = "self-test failed: " + oneLine(e);
                }
                out.add(new DeviceDescription(d.spec(), d.platformName() + ": " + d.summary() + "; " + note, ok));
            }
        } catch (BackendUnavailableException e) {
            out.add(new DeviceDescription("opencl", e.getMessage(), false));
        } catch (RuntimeException | LinkageError e) {
            out.add(new DeviceDescription("opencl", "opencl: " + oneLine(e), false));
        }
        return out;
    }

    /** GPUs first, then accelerators, then CPUs; more compute units first within a kind. */
    private static DeviceInfo best(List<DeviceInfo> list) {
        return list.stream().min(Comparator.<DeviceInfo>comparingInt(d -> d.isGpu() ? 0 : d.isCpu() ? 2 : 1)
                .thenComparing(Comparator.comparingInt(DeviceInfo::computeUnits).reversed())).orElseThrow();
    }

    @Override
    public Backend open(String spec) throws BackendUnavailableException {
        try {
            List<DeviceInfo> list = devices();
            DeviceInfo d = pick(spec, list);
            OpenClBackend b = backendFor(d);
            if (!TESTED.contains(b)) {
                selfTest(b);
                TESTED.add(b);
            }
            return b;
        } catch (BackendUnavailableException e) {
            throw e;
        } catch (RuntimeException | LinkageError e) {
            throw new BackendUnavailableException("opencl: " + oneLine(e));
        }
    }

    private static DeviceInfo pick(String spec, List<DeviceInfo> list) throws BackendUnavailableException {
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("opencl")) {
            return best(list);
        }
        String[] parts = s.split(":");
        if (parts.length == 3 && parts[0].equals("opencl")) {
            try {
                int p = Integer.parseInt(parts[1]), dv = Integer.parseInt(parts[2]);
                for (DeviceInfo d : list) {
                    if (d.platformIndex() == p && d.deviceIndex() == dv) {
                        return d;
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        StringBuilder valid = new StringBuilder();
        for (DeviceInfo d : list) {
            valid.append(valid.length() == 0 ? "" : ", ").append(d.spec()).append(" (").append(d.name()).append(')');
        }
        throw new BackendUnavailableException("opencl: no device '" + spec + "'; available: " + valid);
    }

    /** The shared backend of a device, built on first use with the stored tuning (else defaults). */
    static OpenClBackend backendFor(DeviceInfo d) {
        return OPEN.computeIfAbsent(d.spec(), k -> new OpenClBackend(d, Tuning.forDevice(PixelgradHome.dir(), d)));
    }

    /**
     * {@code pixelgrad tune}: times candidate tunings of the device {@code spec} names (see
     * {@link Tuner}), starting from its current one, and stores the best for backends opened
     * afterwards.
     */
    @Override
    public void tune(String spec, PrintStream out) throws BackendUnavailableException {
        DeviceInfo d = pick(spec, devices());
        Path home = PixelgradHome.dir();
        try {
            Tuner.vgg().tune(d, Tuning.forDevice(home, d), home, out);
        } catch (IOException e) {
            throw new UncheckedIOException("opencl tune: cannot store the tuning under " + home + " (" + e.getMessage()
                    + "); set " + PixelgradHome.ENV + " to a writable directory", e);
        }
    }

    /** A small convolution, reduction and GEMM compared with the Java backend. */
    static void selfTest(OpenClBackend b) throws BackendUnavailableException {
        Backend java = Backends.java();
        Random rnd = new Random(7);
        ConvGeometry g = new ConvGeometry(1, 3, 7, 9, 5, 3, 3, 1, 1, 1, 1);
        float[] x = new float[(int) g.inputSize()], w = new float[(int) g.weightSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextFloat() - 0.5f;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = rnd.nextFloat() - 0.5f;
        }
        float[] expect = new float[(int) g.outputSize()], got = new float[expect.length];
        float expectSum, gotSum;
        {
            Storage xs = java.upload(x), ws = java.upload(w), ys = java.allocate(expect.length), s = java.allocate(1);
            java.conv2dForward(g, xs, ws, null, ys);
            java.sum(ys, expect.length, s);
            java.download(ys, expect);
            expectSum = java.readScalar(s, 0);
        }
        Storage xs = b.upload(x), ws = b.upload(w), ys = b.allocate(got.length), s = b.allocate(1);
        try {
            b.conv2dForward(g, xs, ws, null, ys);
            b.sum(ys, got.length, s);
            b.download(ys, got);
            gotSum = b.readScalar(s, 0);
        } finally {
            for (Storage st : new Storage[]{xs, ws, ys, s}) {
                st.release();
            }
        }
        double maxDiff = 0, maxRef = 0;
        for (int i = 0; i < got.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(got[i] - expect[i]));
            maxRef = Math.max(maxRef, Math.abs(expect[i]));
        }
        if (!(maxDiff <= 1e-4 * maxRef) || !(Math.abs(gotSum - expectSum) <= 1e-4 * Math.max(1, Math.abs(expectSum)))) {
            throw new BackendUnavailableException("opencl: " + b.device().name() + " failed its self-test (conv difference "
                    + maxDiff + ", sum " + gotSum + " vs " + expectSum + "); use --device java");
        }
    }

    // ---- auto ---------------------------------------------------------------------------------

    /** Why auto picked what it picked in this JVM, for 'pixelgrad devices'; null before the first choice. */
    private static volatile String autoReason;

    @Override
    public Backend openAuto(Consumer<String> warn, boolean retime) throws BackendUnavailableException {
        List<DeviceInfo> list = devices();
        DeviceInfo d = best(list);
        if (d.isGpu()) {
            autoReason = "opencl (" + d.spec() + " is a GPU)";
            return open(d.spec());
        }
        Path cacheFile = d.stateFile(PixelgradHome.dir(), "auto", ".txt");
        AutoChoice choice = null;
        try {
            if (!retime && Files.isRegularFile(cacheFile)) {
                choice = AutoChoice.parse(Files.readString(cacheFile));
            }
        } catch (IOException e) {
            choice = null;
        }
        boolean saved = choice != null && choice.current();
        if (!saved) {
            choice = AutoChoice.measure(open(d.spec()), Backends.java());
            try {
                AtomicFiles.writeString(cacheFile, choice.toText());
            } catch (IOException e) {
                // measured again next time
            }
        }
        autoReason = choice.describe() + (saved ? ", timed earlier; saved in " : ", timed now; saved in ") + cacheFile;
        return choice.backend().equals("opencl") ? open(d.spec()) : Backends.java();
    }

    @Override
    public String autoReason() {
        return autoReason;
    }
}
