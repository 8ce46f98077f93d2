package dev.pixelgrad.nn.optim;

/**
 * L-BFGS settings.
 *
 * @param historySize     how many (s, y) pairs the two-loop recursion keeps; memory is
 *                        2 x historySize x the number of pixels
 * @param learningRate    the trial step t along the quasi-Newton direction (1 is the natural
 *                        choice: the direction already carries the curvature scale)
 * @param lineSearch      what happens when the trial step does not decrease f enough
 * @param c1              Armijo constant: accept t when f(x + t d) &le; f(x) + c1 t g.d
 * @param maxBacktracks   how many times the step may be halved before it is taken anyway
 * @param toleranceGrad   stop when the mean |g| falls below this
 * @param toleranceChange stop when a step changes f or x by less than this
 */
public record LbfgsOptions(int historySize, float learningRate, LineSearch lineSearch, float c1,
                           int maxBacktracks, float toleranceGrad, float toleranceChange) {

    /** How a trial step is checked. */
    public enum LineSearch {
        /** Take t as is (PyTorch's default, line_search_fn=None). */
        NONE,
        /** Halve t until the Armijo sufficient-decrease condition holds (one evaluation when it already does). */
        BACKTRACKING
    }

    public LbfgsOptions {
        if (historySize < 1) {
            throw new IllegalArgumentException("lbfgs: history size must be at least 1, got " + historySize);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("lbfgs: learning rate must be positive, got " + learningRate);
        }
    }

    /** History 20, t = 1, backtracking with c1 = 1e-4 and up to 10 halvings, PyTorch's tolerances. */
    public static LbfgsOptions defaults() {
        return new LbfgsOptions(20, 1f, LineSearch.BACKTRACKING, 1e-4f, 10, 1e-7f, 1e-9f);
    }

    public LbfgsOptions withHistorySize(int m) {
        return new LbfgsOptions(m, learningRate, lineSearch, c1, maxBacktracks, toleranceGrad, toleranceChange);
    }

    public LbfgsOptions withLearningRate(float lr) {
        return new LbfgsOptions(historySize, lr, lineSearch, c1, maxBacktracks, toleranceGrad, toleranceChange);
    }

    public LbfgsOptions withLineSearch(LineSearch ls) {
        return new LbfgsOptions(historySize, learningRate, ls, c1, maxBacktracks, toleranceGrad, toleranceChange);
    }
}
