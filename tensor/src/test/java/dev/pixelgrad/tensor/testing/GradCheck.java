package dev.pixelgrad.tensor.testing;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Grad;
import dev.pixelgrad.tensor.Shape;
import dev.pixelgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Central finite-difference gradient check for one op (or a short composition), on any backend.
 *
 * <h2>Method</h2>
 * The op maps inputs x_1..x_m to an output y of any shape. A fixed random direction r of y's
 * shape (uniform in [-1, 1]) turns it into the scalar
 * <pre>
 * L(x) = sum_i r_i y_i(x)          (accumulated in double on the host)
 * </pre>
 * <ul>
 *   <li><b>Analytic:</b> {@code y.backward(r)} seeds dL/dy = r, so each input's {@code grad()} is
 *       dL/dx, exactly what the op's backward computes for an arbitrary upstream gradient.</li>
 *   <li><b>Numeric:</b> for every element j of every differentiable input,
 *       <pre>dL/dx_j ~ (L(x + h e_j) - L(x - h e_j)) / (x_j^+ - x_j^-)</pre>
 *       where x_j^+ and x_j^- are the float32 values actually fed to the op (so the rounding of
 *       x_j +- h does not bias the quotient) and each L is a double-precision sum over a forward
 *       pass run without recording.</li>
 * </ul>
 * Central differences are exact for functions that are at most quadratic in x_j (add, mul,
 * matmul, conv, gram, mse, TV with beta 2, ...), so for those only float32 rounding of y remains
 * and a large step h keeps it small next to the 2h denominator. For curved ops (pow, TV with
 * beta 1) the truncation error is O(h^2) and the step is smaller. Piecewise-linear ops (relu, max
 * pooling) are exact as long as no input crosses a kink within h: their inputs come from
 * {@link #awayFromZero} and {@link #distinct}, which keep every value at least 10 h from the
 * kink or from any tie.
 *
 * <h2>Comparison</h2>
 * Per input, err = max_j |analytic_j - numeric_j| / max_j |numeric_j|: the error relative to the
 * gradient's own scale, so elements that happen to be near zero do not blow up the ratio. The
 * check fails when err exceeds the op's tolerance, naming the input, the worst element and both
 * values. Run with {@code -Dgradcheck.verbose=true} to print every input's relative error.
 */
public final class GradCheck {
    private final Backend backend;
    private final Random random;

    public GradCheck(Backend backend, long seed) {
        this.backend = backend;
        this.random = new Random(seed);
    }

    /** One input of the op: its shape and values, and whether its gradient is checked. */
    public record Input(Shape shape, float[] values, boolean differentiable) {
        /** The same values held fixed (a constant operand, e.g. a target). */
        public Input constant() {
            return new Input(shape, values, false);
        }
    }

    /** The outcome for one input: its relative error and where the worst element sits. */
    public record Result(int input, double relativeError, int worst, double analytic, double numeric, double scale) {
    }

    // ---- inputs -----------------------------------------------------------------------------

    /** Uniform in [-1, 1]. */
    public Input uniform(int... dims) {
        Shape s = Shape.of(dims);
        float[] v = new float[s.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = 2f * random.nextFloat() - 1f;
        }
        return new Input(s, v, true);
    }

    /** Uniform in [lo, hi] (e.g. positive inputs for a non-integer power). */
    public Input between(float lo, float hi, int... dims) {
        Shape s = Shape.of(dims);
        float[] v = new float[s.numel()];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * random.nextFloat();
        }
        return new Input(s, v, true);
    }

    /** Uniform magnitude in [minAbs, 1] with a random sign: no value within minAbs of relu's kink. */
    public Input awayFromZero(float minAbs, int... dims) {
        Shape s = Shape.of(dims);
        float[] v = new float[s.numel()];
        for (int i = 0; i < v.length; i++) {
            float mag = minAbs + (1f - minAbs) * random.nextFloat();
            v[i] = random.nextBoolean() ? mag : -mag;
        }
        return new Input(s, v, true);
    }

    /**
     * A shuffled ladder of values {@code gap} apart, centred on zero: no two elements are within
     * gap of each other, so a perturbation below gap/2 never changes which element is a maximum.
     */
    public Input distinct(float gap, int... dims) {
        Shape s = Shape.of(dims);
        int n = s.numel();
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i - (n - 1) / 2f) * gap;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        return new Input(s, v, true);
    }

    // ---- the check --------------------------------------------------------------------------

    /**
     * Compares backward with central differences for every differentiable input and throws an
     * {@link AssertionError} when an input's relative error exceeds {@code tolerance}.
     *
     * @param what      names the case in failure messages, e.g. {@code conv2d k3 s2 p1}
     * @param op        builds the output from the input tensors
     * @param step      the finite-difference step h
     * @param tolerance the largest accepted relative error
     * @return one result per differentiable input (for reports)
     */
    public List<Result> check(String what, Function<Tensor[], Tensor> op, double step, double tolerance, Input... inputs) {
        // analytic: dL/dx from backward seeded with r
        Tensor[] xs = upload(inputs, null, 0, 0f);
        for (int i = 0; i < inputs.length; i++) {
            xs[i].requiresGrad(inputs[i].differentiable());
        }
        Tensor y = op.apply(xs);
        float[] r = new float[y.numel()];
        for (int i = 0; i < r.length; i++) {
            r[i] = 2f * random.nextFloat() - 1f;
        }
        y.backward(Tensor.of(r, y.shape(), backend));
        float[][] analytic = new float[inputs.length][];
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].differentiable()) {
                continue;
            }
            Tensor g = xs[i].grad();
            if (g == null) {
                throw new AssertionError(what + ": input " + i + " " + inputs[i].shape()
                        + " requires a gradient but backward left grad() null");
            }
            analytic[i] = g.toArray();
        }

        // numeric: central differences of L in double
        List<Result> results = new ArrayList<>();
        StringBuilder failures = new StringBuilder();
        for (int i = 0; i < inputs.length; i++) {
            if (!inputs[i].differentiable()) {
                continue;
            }
            float[] x = inputs[i].values();
            double[] numeric = new double[x.length];
            for (int j = 0; j < x.length; j++) {
                float plus = (float) (x[j] + step), minus = (float) (x[j] - step);
                double lPlus = projected(op, r, inputs, i, j, plus);
                double lMinus = projected(op, r, inputs, i, j, minus);
                numeric[j] = (lPlus - lMinus) / ((double) plus - (double) minus);
            }
            Result res = compare(i, analytic[i], numeric);
            results.add(res);
            if (Boolean.getBoolean("gradcheck.verbose")) {
                System.out.printf("gradcheck %-40s input %d: relative error %.2e%n", what, i, res.relativeError());
            }
            if (!(res.relativeError() <= tolerance)) {
                failures.append(String.format("%n  input %d %s: relative error %.3g > tolerance %.1g;"
                                + " worst element %d: analytic %.7g, numeric %.7g (gradient scale %.3g)",
                        i, inputs[i].shape(), res.relativeError(), tolerance, res.worst(),
                        res.analytic(), res.numeric(), res.scale()));
            }
        }
        if (failures.length() > 0) {
            throw new AssertionError(what + " on " + backend.name() + ": backward disagrees with central differences"
                    + " (step " + step + ")" + failures);
        }
        return results;
    }

    /** L = sum_k r_k y_k in double, with element j of input i replaced by {@code value}. */
    private double projected(Function<Tensor[], Tensor> op, float[] r, Input[] inputs, int i, int j, float value) {
        Tensor[] xs = upload(inputs, inputs[i], j, value);
        float[] y;
        try (Grad.Scope scope = Grad.disabled()) {
            Tensor out = op.apply(xs);
            y = out.toArray();
            out.close();
        }
        for (Tensor t : xs) {
            t.close();
        }
        double l = 0;
        for (int k = 0; k < y.length; k++) {
            l += (double) r[k] * y[k];
        }
        return l;
    }

    /** Uploads the inputs, with element j of {@code changed} (when not null) set to value. */
    private Tensor[] upload(Input[] inputs, Input changed, int j, float value) {
        Tensor[] xs = new Tensor[inputs.length];
        for (int k = 0; k < inputs.length; k++) {
            float[] v = inputs[k].values();
            if (inputs[k] == changed) {
                v = v.clone();
                v[j] = value;
            }
            xs[k] = Tensor.of(v, inputs[k].shape(), backend);
        }
        return xs;
    }

    private static Result compare(int input, float[] analytic, double[] numeric) {
        double scale = 0, worstErr = -1;
        int worst = 0;
        for (int j = 0; j < numeric.length; j++) {
            scale = Math.max(scale, Math.abs(numeric[j]));
            double e = Math.abs(analytic[j] - numeric[j]);
            if (Double.isNaN(e)) { // a NaN gradient is the worst possible answer
                return new Result(input, Double.NaN, j, analytic[j], numeric[j], Double.NaN);
            }
            if (e > worstErr) {
                worstErr = e;
                worst = j;
            }
        }
        return new Result(input, worstErr / Math.max(scale, 1e-12), worst, analytic[worst], numeric[worst], scale);
    }
}
