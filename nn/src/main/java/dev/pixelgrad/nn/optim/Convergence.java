package dev.pixelgrad.nn.optim;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * Why an optimiser stopped before its iterations ran out: which test fired, its tolerance, and how
 * many iterations the test looked back over. {@link #toString()} says it in words, for logs and
 * the one-line summary a run prints.
 *
 * @param criterion the test that fired
 * @param tolerance its threshold (relative for the gradient and the loss, in x's units for the step,
 *                  the smallest fraction of the first trial step tried for {@link Criterion#NO_DECREASE})
 * @param window    the iterations it looked back over (1 for the tests of a single iteration)
 */
public record Convergence(Criterion criterion, double tolerance, int window) {

    /** The stopping tests of {@link LbfgsOptions.Stopping}, and the two ways a step can fail. */
    public enum Criterion {
        /** mean|g| &le; tolerance mean|g_0|: the gradient has all but vanished (tolerance 0: it is zero). */
        GRADIENT,
        /** |f_{k-w} - f_k| &le; tolerance max(|f_{k-w}|, |f_k|): the loss has stopped moving. */
        LOSS_CHANGE,
        /** ||x_{j+1} - x_j||_2 &le; tolerance for each of the last w steps: x has stopped moving. */
        STEP,
        /** Even the shortest trial step along -g did not lower the loss. */
        NO_DECREASE,
        /** The loss or its gradient is NaN or infinite: no step can be judged any more. */
        NOT_FINITE
    }

    @Override
    public String toString() {
        return switch (criterion) {
            case GRADIENT -> tolerance == 0 ? "the gradient is zero"
                    : "the mean |gradient| fell to " + number(tolerance) + " of its starting value";
            case LOSS_CHANGE -> "the loss changed by less than " + number(tolerance) + " relative over " + window
                    + " iterations";
            case STEP -> "each of the last " + window + " steps moved x by at most " + number(tolerance)
                    + " (Euclidean length)";
            case NO_DECREASE -> "no step along the gradient lowered the loss, not even 1/" + Math.round(1 / tolerance)
                    + " of the first trial step";
            case NOT_FINITE -> "the loss or its gradient is NaN or infinite";
        };
    }

    /** 1e-9 and 0.001 rather than 1.00000e-09 and 0.00100000: short enough for a one-line message. */
    public static String number(double v) {
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e4)) {
            return String.format(Locale.ROOT, "%.1e", v).replace(".0e", "e").replaceAll("e([+-]?)0*(\\d)", "e$1$2")
                    .replace("e+", "e");
        }
        return new BigDecimal(v).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    }
}
