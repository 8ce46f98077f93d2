package dev.pixelgrad.nn.optim;

/**
 * L-BFGS settings.
 *
 * @param historySize   how many (s, y) pairs the two-loop recursion keeps; memory is
 *                      2 x historySize x the number of pixels
 * @param learningRate  the trial step t along the quasi-Newton direction (1 is the natural
 *                      choice: the direction already carries the curvature scale)
 * @param lineSearch    what happens when the trial step does not decrease f enough
 * @param c1            Armijo constant: accept t when f(x + t d) &le; f(x) + c1 t g.d
 * @param maxBacktracks how many times the step may be halved before the step is given up
 * @param firstStep     how far the first step (and the first after a restart, when there is no
 *                      curvature to scale d yet) moves x on average, mean_i |t d_i|, in x's own
 *                      units; 0 keeps PyTorch's t = min(1, 1/||g||_1), which only suits problems
 *                      whose gradient is of order 1 (see {@link Lbfgs})
 * @param stopping      when to stop before the iterations run out
 */
public record LbfgsOptions(int historySize, float learningRate, LineSearch lineSearch, float c1,
                           int maxBacktracks, float firstStep, Stopping stopping) {

    /** How a trial step is checked. */
    public enum LineSearch {
        /** Take t as is (PyTorch's default, line_search_fn=None). */
        NONE,
        /** Halve t until the Armijo sufficient-decrease condition holds (one evaluation when it already does). */
        BACKTRACKING
    }

    /**
     * When L-BFGS stops early. Every test is relative, or in x's own units, so that multiplying the
     * loss by a constant changes nothing: texture losses are ~1e-3 and Caffe-scaled style losses
     * ~1e9, and absolute tolerances (PyTorch's 1e-7 on mean|g|, 1e-9 on the loss change) stop
     * the first after one step and never stop the second.
     *
     * @param gradient   stop when mean|g| &le; gradient x mean|g_0| (the gradient at the start)
     * @param lossChange stop when |f_{k-window} - f_k| &le; lossChange x max(|f_{k-window}|, |f_k|);
     *                   float32 losses carry ~1e-7 relative rounding, so 1e-9 means the loss has
     *                   not moved at all over the window
     * @param step       stop when each of the last {@code window} steps had ||t d||_2 &le; step,
     *                   in x's units; the Euclidean length bounds every |t d_i|, so no element of x
     *                   moved further
     * @param window     iterations the loss and step tests look back over: one short step (say
     *                   after a restart) is no reason to stop
     */
    public record Stopping(float gradient, float lossChange, float step, int window) {
        public Stopping {
            if (!(gradient >= 0 && lossChange >= 0 && step >= 0)) {
                throw new IllegalArgumentException("lbfgs: stopping tolerances must be at least 0, got gradient "
                        + gradient + ", loss change " + lossChange + ", step " + step);
            }
            if (window < 1) {
                throw new IllegalArgumentException("lbfgs: stopping window must be at least 1 iteration, got " + window);
            }
        }

        /** PyTorch's numbers (1e-7, 1e-9, 1e-9), the first two made relative, over 5 iterations. */
        public static Stopping defaults() {
            return new Stopping(1e-7f, 1e-9f, 1e-9f, 5);
        }

        public Stopping withStep(float s) {
            return new Stopping(gradient, lossChange, s, window);
        }
    }

    public LbfgsOptions {
        if (historySize < 1) {
            throw new IllegalArgumentException("lbfgs: history size must be at least 1, got " + historySize);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("lbfgs: learning rate must be positive, got " + learningRate);
        }
        if (!(firstStep >= 0) || Float.isInfinite(firstStep)) {
            throw new IllegalArgumentException("lbfgs: first step must be a finite number at least 0 (0 = PyTorch's rule), got "
                    + firstStep);
        }
    }

    /**
     * History 20, t = 1, backtracking with c1 = 1e-4 and up to 10 halvings, PyTorch's first step,
     * {@link Stopping#defaults()}.
     */
    public static LbfgsOptions defaults() {
        return new LbfgsOptions(20, 1f, LineSearch.BACKTRACKING, 1e-4f, 10, 0f, Stopping.defaults());
    }

    public LbfgsOptions withHistorySize(int m) {
        return new LbfgsOptions(m, learningRate, lineSearch, c1, maxBacktracks, firstStep, stopping);
    }

    public LbfgsOptions withLearningRate(float lr) {
        return new LbfgsOptions(historySize, lr, lineSearch, c1, maxBacktracks, firstStep, stopping);
    }

    public LbfgsOptions withLineSearch(LineSearch ls) {
        return new LbfgsOptions(historySize, learningRate, ls, c1, maxBacktracks, firstStep, stopping);
    }

    public LbfgsOptions withFirstStep(float meanChange) {
        return new LbfgsOptions(historySize, learningRate, lineSearch, c1, maxBacktracks, meanChange, stopping);
    }

    public LbfgsOptions withStopping(Stopping s) {
        return new LbfgsOptions(historySize, learningRate, lineSearch, c1, maxBacktracks, firstStep, s);
    }
}
