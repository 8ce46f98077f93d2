package dev.pixelgrad.nn.optim;

import dev.pixelgrad.tensor.Backend;
import dev.pixelgrad.tensor.Storage;
import dev.pixelgrad.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Optional;

/**
 * Limited-memory BFGS (Nocedal and Wright, algorithm 7.4 and 7.5) on the device.
 *
 * <p>Each step computes the quasi-Newton direction d = -H g by the two-loop recursion over the
 * last m pairs s_i = x_{i+1} - x_i, y_i = g_{i+1} - g_i (with H_0 = gamma I,
 * gamma = s.y / y.y of the newest pair), then tries x + t d:
 * <pre>
 * q = -g
 * for i = newest .. oldest:  a_i = rho_i s_i.q;  q -= a_i y_i          (rho_i = 1 / y_i.s_i)
 * r = gamma q
 * for i = oldest .. newest:  b = rho_i y_i.r;    r += (a_i - b) s_i
 * d = r
 * </pre>
 *
 * <p>Line search: the trial step is t = 1. On these problems (smooth, a good quadratic model)
 * t = 1 is accepted almost always, so the default {@link LbfgsOptions.LineSearch#BACKTRACKING}
 * costs one evaluation per step like PyTorch's fixed step, and only halves t when the Armijo
 * condition f(x + t d) &le; f(x) + c1 t g.d fails, which guards the early, badly scaled steps.
 * A full strong-Wolfe search would spend extra forward/backward passes for little gain here.
 *
 * <p>The first step has no curvature yet to scale d = -g, so its length must come from elsewhere:
 * with {@link LbfgsOptions#firstStep()} = delta &gt; 0 it is t = delta n / ||g||_1, so that x moves
 * by delta on average (an image optimiser knows what one 8-bit level is in its units); with 0 it is
 * PyTorch's t = min(1, 1/||g||_1), which moves x by at most 1 in total and is far too short when
 * the gradient is small (a texture loss of 1e-3 on 200k pixels barely changes in that step).
 * The same rule restarts the search whenever the history is empty again.
 *
 * <p>A pair is kept only when y.s &gt; 1e-10 ||y|| ||s|| (H stays positive definite); the test is
 * on the cosine, not PyTorch's absolute y.s &gt; 1e-10: y.s scales with the loss, so a small
 * loss would lose its curvature pairs. The run stops early on the tests of {@link LbfgsOptions.Stopping}, all
 * independent of the loss's scale; {@link #convergence()} says which one fired.
 *
 * <p>Every vector (x, g, d, the pairs) stays on x's backend; only dot products come back.
 */
public final class Lbfgs implements Optimizer {
    /** The smallest cosine between s and y for which a pair still counts as curvature. */
    private static final double MIN_COSINE_SY = 1e-10;

    private final Tensor x;
    private final Objective f;
    private final LbfgsOptions options;
    private final LbfgsOptions.Stopping stopping;
    private final Backend be;
    private final long n;
    private final Storage d, gOld, xOld, scalar;
    private final Deque<Pair> history = new ArrayDeque<>();   // newest first
    private final Deque<Float> recentLosses = new ArrayDeque<>();   // f_{k-window} .. f_k
    private float loss = Float.NaN;
    private double gAbs, gAbs0;                                    // ||g||_1 now and at the start
    private int evaluations, shortSteps;
    private boolean started;
    private Convergence convergence;

    private record Pair(Storage s, Storage y, double rho, double yy) {
    }

    public Lbfgs(Tensor x, Objective f, LbfgsOptions options) {
        this.x = x;
        this.f = f;
        this.options = options;
        this.stopping = options.stopping();
        this.be = x.backend();
        this.n = x.numel();
        this.d = be.allocate(n);
        this.gOld = be.allocate(n);
        this.xOld = be.allocate(n);
        this.scalar = be.allocate(1);
    }

    @Override
    public float start() {
        started = true;
        loss = evaluate();
        gAbs0 = gAbs = sumAbs(x.grad().data());
        recentLosses.add(loss);
        convergence = test();
        return loss;
    }

    @Override
    public float step() {
        if (!started) {
            start();
        }
        if (convergence != null) {
            return loss;
        }
        Storage g = x.grad().data();
        double gtd = direction(g);
        if (!(gtd < 0)) {               // not a descent direction: forget the curvature, go downhill
            clearHistory();
            gtd = direction(g);
        }
        boolean steepest = history.isEmpty();
        double t = options.learningRate() * (steepest ? firstStepLength() : 1.0);
        be.copy(g, gOld, n);
        be.copy(x.data(), xOld, n);
        float lossOld = loss;
        float lossNew;
        for (int tries = 0; ; tries++) {
            be.copy(xOld, x.data(), n);
            be.axpy((float) t, d, x.data(), n);
            lossNew = evaluate();
            boolean armijo = lossNew <= lossOld + options.c1() * t * gtd;
            if (options.lineSearch() == LbfgsOptions.LineSearch.NONE && Float.isFinite(lossNew) || armijo) {
                break;
            }
            if (tries == options.maxBacktracks()) {
                // No decrease even for a tiny step: go back to where we were and restart from -g;
                // when this already was a step along -g, nothing is left to try.
                be.copy(xOld, x.data(), n);
                loss = evaluate();
                gAbs = sumAbs(x.grad().data());
                clearHistory();
                endStep(0);
                if (steepest) {
                    convergence = new Convergence(Convergence.Criterion.NO_DECREASE, Math.pow(0.5, options.maxBacktracks()), 1);
                }
                return loss;
            }
            t *= 0.5;
        }
        double ss = t * t * dot(d, d);
        remember(x.grad().data(), t, ss);
        loss = lossNew;
        gAbs = sumAbs(x.grad().data());
        endStep(Math.sqrt(ss));
        return loss;
    }

    /** The first step's t: x moves by firstStep on average, or PyTorch's min(1, 1/||g||_1) (d = -g here). */
    private double firstStepLength() {
        return options.firstStep() > 0 ? options.firstStep() * n / gAbs : Math.min(1.0, 1.0 / gAbs);
    }

    /** Books a step that moved x by stepLength (Euclidean) and runs the stopping tests. */
    private void endStep(double stepLength) {
        recentLosses.addLast(loss);
        if (recentLosses.size() > stopping.window() + 1) {
            recentLosses.removeFirst();
        }
        shortSteps = stepLength <= stopping.step() ? shortSteps + 1 : 0;
        convergence = test();
    }

    /** The first stopping test that holds at the current x, or null. */
    private Convergence test() {
        if (!Float.isFinite(loss) || !Double.isFinite(gAbs)) {
            return new Convergence(Convergence.Criterion.NOT_FINITE, 0, 1);
        }
        if (gAbs <= stopping.gradient() * gAbs0) {
            return new Convergence(Convergence.Criterion.GRADIENT, gAbs == 0 ? 0 : stopping.gradient(), 1);
        }
        if (recentLosses.size() == stopping.window() + 1) {
            double before = recentLosses.peekFirst();
            if (Math.abs(before - loss) <= stopping.lossChange() * Math.max(Math.abs(before), Math.abs(loss))) {
                return new Convergence(Convergence.Criterion.LOSS_CHANGE, stopping.lossChange(), stopping.window());
            }
        }
        if (shortSteps >= stopping.window()) {
            return new Convergence(Convergence.Criterion.STEP, stopping.step(), stopping.window());
        }
        return null;
    }

    /** d = -H g by the two-loop recursion; returns g.d. */
    private double direction(Storage g) {
        be.copy(g, d, n);
        be.scale(d, -1f, d, n);
        if (!history.isEmpty()) {
            double[] a = new double[history.size()];
            int i = 0;
            for (Pair p : history) {                              // newest .. oldest
                a[i] = p.rho * dot(p.s, d);
                be.axpy((float) -a[i], p.y, d, n);
                i++;
            }
            Pair newest = history.peekFirst();
            double gamma = 1.0 / (newest.rho * newest.yy);          // s.y / y.y
            be.scale(d, (float) gamma, d, n);
            Iterator<Pair> it = history.descendingIterator();     // oldest .. newest
            for (i = history.size() - 1; it.hasNext(); i--) {
                Pair p = it.next();
                double b = p.rho * dot(p.y, d);
                be.axpy((float) (a[i] - b), p.s, d, n);
            }
        }
        return dot(g, d);
    }

    /** Stores s = t d and y = g_new - g_old when y.s is safely positive (ss = s.s). */
    private void remember(Storage gNew, double t, double ss) {
        Pair slot;
        if (history.size() == options.historySize()) {
            slot = history.removeLast();                          // reuse the oldest buffers
        } else {
            slot = new Pair(be.allocate(n), be.allocate(n), 0, 0);
        }
        be.scale(d, (float) t, slot.s, n);
        be.copy(gNew, slot.y, n);
        be.axpy(-1f, gOld, slot.y, n);
        double ys = dot(slot.y, slot.s), yy = dot(slot.y, slot.y);
        if (ys > MIN_COSINE_SY * Math.sqrt(yy * ss)) {
            history.addFirst(new Pair(slot.s, slot.y, 1.0 / ys, yy));
        } else {
            slot.s.release();
            slot.y.release();
        }
    }

    private void clearHistory() {
        for (Pair p : history) {
            p.s.release();
            p.y.release();
        }
        history.clear();
    }

    private float evaluate() {
        evaluations++;
        return f.evaluate(x);
    }

    private double dot(Storage a, Storage b) {
        be.dot(a, b, n, scalar);
        return be.readScalar(scalar, 0);
    }

    private double sumAbs(Storage a) {
        be.sumAbs(a, n, scalar);
        return be.readScalar(scalar, 0);
    }

    /** How many curvature pairs are held now. */
    public int historyLength() {
        return history.size();
    }

    @Override
    public int evaluations() {
        return evaluations;
    }

    @Override
    public Optional<Convergence> convergence() {
        return Optional.ofNullable(convergence);
    }

    @Override
    public void close() {
        clearHistory();
        d.release();
        gOld.release();
        xOld.release();
        scalar.release();
    }
}
