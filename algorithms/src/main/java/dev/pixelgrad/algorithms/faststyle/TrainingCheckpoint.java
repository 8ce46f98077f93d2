package dev.pixelgrad.algorithms.faststyle;

import dev.pixelgrad.nn.TransformerNet;
import dev.pixelgrad.nn.optim.ParameterAdam;
import dev.pixelgrad.tensor.Tensor;
import dev.pixelgrad.weights.DType;
import dev.pixelgrad.weights.RawTensor;
import dev.pixelgrad.weights.SafetensorsWriter;
import dev.pixelgrad.weights.SourceWeights;
import dev.pixelgrad.weights.WeightFileException;
import dev.pixelgrad.weights.WeightFormat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a training run needs to continue exactly where it stopped: the transformer's
 * parameters, Adam's moments and step count, how many steps are done and where the next batch
 * starts, and the settings that must not change on the way (a different batch size or seed would
 * be another run). One safetensors file, written atomically: the parameters under their
 * pytorch/examples names, the moments as {@code adam.m.NAME} and {@code adam.v.NAME}.
 *
 * @param settings the run's settings that a resume must repeat, by option name (e.g. {@code --batch} = 4)
 * @param seconds  the time spent training so far, so that a resumed run's log counts on from it
 */
public record TrainingCheckpoint(Map<String, float[]> parameters, ParameterAdam.State adam,
                                 FastStyleTraining.Progress progress, Map<String, String> settings, double seconds) {
    /** The {@code format} metadata that marks a checkpoint. */
    public static final String FORMAT = "pixelgrad-fast-style-checkpoint";
    private static final String SETTING = "setting.";

    /** The state of a run now. */
    public static TrainingCheckpoint of(FastStyleTraining training, FastStyleTraining.Progress progress,
                                        Map<String, String> settings, double seconds) {
        Map<String, float[]> params = new LinkedHashMap<>();
        training.transformer().namedParameters().forEach((name, t) -> params.put(name, t.toArray()));
        return new TrainingCheckpoint(params, training.adam().state(), progress, Map.copyOf(settings), seconds);
    }

    public void write(Path file, TransformerNet shapes) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("arch", "transformer_net");
        meta.put("width", Integer.toString(shapes.width()));
        meta.put("iteration", Long.toString(progress.iteration()));
        meta.put("epoch", Integer.toString(progress.next().epoch()));
        meta.put("index", Integer.toString(progress.next().index()));
        meta.put("adam.step", Integer.toString(adam.steps()));
        meta.put("seconds", String.format(java.util.Locale.ROOT, "%.3f", seconds));
        settings.forEach((k, v) -> meta.put(SETTING + k, v));
        List<RawTensor> tensors = new ArrayList<>();
        List<String> names = new ArrayList<>(parameters.keySet());
        Map<String, Tensor> params = shapes.namedParameters();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            int[] shape = params.get(name).shape().dims();
            tensors.add(new RawTensor(name, shape, DType.F32, parameters.get(name)));
            tensors.add(new RawTensor("adam.m." + name, shape, DType.F32, adam.m().get(i)));
            tensors.add(new RawTensor("adam.v." + name, shape, DType.F32, adam.v().get(i)));
        }
        SafetensorsWriter.write(file, meta, tensors, DType.F32);
    }

    /**
     * Reads a checkpoint written by {@link #write} for a transformer shaped like {@code shapes}.
     *
     * @throws WeightFileException naming the file and what is wrong (not a checkpoint, another width, a tensor missing)
     */
    public static TrainingCheckpoint read(Path file, TransformerNet shapes) {
        SourceWeights w = WeightFormat.readAny(file);
        Map<String, String> meta = w.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new WeightFileException(file, "not a training checkpoint (metadata 'format' is "
                    + (meta.get("format") == null ? "missing" : "'" + meta.get("format") + "'") + ", expected '" + FORMAT
                    + "'); --resume takes a file written by train-style --checkpoint-every");
        }
        String width = meta.get("width");
        if (!Integer.toString(shapes.width()).equals(width)) {
            throw new WeightFileException(file, "the checkpoint's network has width " + width + ", this run's "
                    + shapes.width() + "; resume with --width " + width);
        }
        Map<String, float[]> params = new LinkedHashMap<>();
        List<float[]> m = new ArrayList<>(), v = new ArrayList<>();
        shapes.namedParameters().forEach((name, t) -> {
            params.put(name, tensor(w, name, t).data());
            m.add(tensor(w, "adam.m." + name, t).data());
            v.add(tensor(w, "adam.v." + name, t).data());
        });
        Map<String, String> settings = new LinkedHashMap<>();
        meta.forEach((k, val) -> {
            if (k.startsWith(SETTING)) {
                settings.put(k.substring(SETTING.length()), val);
            }
        });
        FastStyleTraining.Progress progress = new FastStyleTraining.Progress(number(file, meta, "iteration"),
                new TrainingImages.Position((int) number(file, meta, "epoch"), (int) number(file, meta, "index")));
        return new TrainingCheckpoint(params, new ParameterAdam.State((int) number(file, meta, "adam.step"), m, v), progress, settings,
                seconds(file, meta));
    }

    /** Puts the parameters and Adam's state into a run built with the same settings. */
    public void restore(FastStyleTraining training) {
        training.transformer().namedParameters().forEach((name, t) -> {
            // the parameter keeps its buffer (Adam and the tape hold it); only the values change
            try (Tensor values = Tensor.of(parameters.get(name), t.shape(), t.backend())) {
                t.backend().copy(values.data(), t.data(), t.numel());
            }
        });
        training.adam().restore(adam);
    }

    /**
     * Throws unless this run repeats the checkpoint's settings.
     *
     * @param now the settings of the run resuming, by option name
     */
    public void requireSameSettings(Path file, Map<String, String> now) {
        settings.forEach((option, was) -> {
            String is = now.get(option);
            if (is != null && !is.equals(was)) {
                throw new IllegalArgumentException("--resume " + file + ": the checkpoint was trained with " + option + " " + was
                        + ", this run has " + option + " " + is + "; resuming continues the same run, so give " + option + " " + was
                        + " (or start a new run without --resume)");
            }
        });
    }

    private static RawTensor tensor(SourceWeights w, String name, Tensor like) {
        RawTensor t = w.tensors().get(name);
        if (t == null) {
            throw new WeightFileException(w.file(), "the checkpoint has no tensor '" + name + "'; the file is damaged or not a checkpoint of this network");
        }
        if (!java.util.Arrays.equals(t.shape(), like.shape().dims())) {
            throw new WeightFileException(w.file(), "tensor '" + name + "' has shape " + t.shapeString() + ", expected "
                    + like.shape());
        }
        return t;
    }

    /** The training time so far; 0 in a checkpoint from before it was recorded. */
    private static double seconds(Path file, Map<String, String> meta) {
        String v = meta.get("seconds");
        try {
            double s = v == null ? 0 : Double.parseDouble(v);
            if (s >= 0 && Double.isFinite(s)) {
                return s;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new WeightFileException(file, "checkpoint metadata 'seconds' is '" + v + "', expected a number of seconds >= 0");
    }

    private static long number(Path file, Map<String, String> meta, String key) {
        String v = meta.get(key);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException | NullPointerException e) {
            throw new WeightFileException(file, "checkpoint metadata '" + key + "' is " + (v == null ? "missing" : "'" + v + "'")
                    + ", expected a whole number");
        }
    }
}
