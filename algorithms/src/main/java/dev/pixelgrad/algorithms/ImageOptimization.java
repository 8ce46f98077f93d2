package dev.pixelgrad.algorithms;

import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.nn.optim.Adam;
import dev.pixelgrad.nn.optim.AdamOptions;
import dev.pixelgrad.nn.optim.Convergence;
import dev.pixelgrad.nn.optim.Lbfgs;
import dev.pixelgrad.nn.optim.LbfgsOptions;
import dev.pixelgrad.nn.optim.Objective;
import dev.pixelgrad.nn.optim.Optimizer;
import dev.pixelgrad.nn.optim.OptimizerKind;
import dev.pixelgrad.tensor.Tensor;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The loop shared by feature inversion, texture synthesis and style transfer: minimise a loss over
 * the pixels of x with L-BFGS or Adam. Each evaluation is the textbook sequence
 * <pre>
 * x.grad = 0;  terms = loss(x);  L = sum(terms);  L.backward()   // dL/dx lands in x.grad
 * </pre>
 * and the optimiser then updates x on the device.
 */
public final class ImageOptimization {
    /**
     * @param optimizer      L-BFGS or Adam
     * @param iterations     optimiser steps (L-BFGS may evaluate the loss more than once per step)
     * @param learningRate   Adam's step, in RGB units (0.01 moves a pixel about 2.5 levels of 255);
     *                       converted to network units with the preprocessing
     * @param historySize    L-BFGS memory (pairs)
     */
    public record Settings(OptimizerKind optimizer, int iterations, float learningRate, int historySize) {
        public Settings {
            if (iterations < 0) {
                throw new IllegalArgumentException("iterations: must be at least 0, got " + iterations);
            }
        }

        /**
         * L-BFGS with a history of 20 pairs (these losses are smooth sums of squares, where a
         * quasi-Newton step is almost always accepted); Adam's step, if chosen, 0.02 in RGB units
         * (about 5 levels of 255).
         */
        public static Settings defaults(int iterations) {
            return new Settings(OptimizerKind.LBFGS, iterations, 0.02f, 20);
        }

        public Settings withLearningRate(float rate) {
            return new Settings(optimizer, iterations, rate, historySize);
        }
    }

    /**
     * L-BFGS's first step moves pixels by this many 8-bit levels on average: enough to change the
     * loss measurably at any loss scale, small next to the noise start (25 levels), and halved by
     * the line search when even that is too far. Later steps take their length from the curvature.
     */
    public static final float FIRST_STEP_LEVELS = 1f;

    /** L-BFGS stops when the last few steps each moved no pixel by more than this many 8-bit levels. */
    public static final float STOP_STEP_LEVELS = 1e-3f;

    private ImageOptimization() {
    }

    /**
     * Optimises x (a leaf requiring a gradient) in place; returns the number of iterations done.
     * When L-BFGS can make no further progress before the iterations run out, the run ends there
     * and the monitor hears why ({@link Monitor#stoppedEarly}). Between steps the monitor may
     * change the terms' weights or Adam's step ({@link Monitor#changes}); the optimiser then starts
     * afresh from the current x, since its history (L-BFGS pairs, Adam moments) describes the old loss.
     */
    public static int run(Tensor x, Function<Tensor, LossTerms> loss, Preprocessing preprocessing,
                          Settings settings, Monitor monitor) {
        Map<String, Float>[] last = newHolder();
        Map<String, Float> factors = new HashMap<>();   // term weights changed during the run
        Objective f = image -> {
            image.zeroGrad();
            LossTerms terms = loss.apply(image).scaleInPlace(factors);
            Tensor total = terms.total();
            last[0] = terms.values();          // read before backward frees the terms
            total.backward();
            return LossTerms.sum(last[0]);
        };
        Optimizer opt = create(x, f, preprocessing, settings);
        try {
            float value = opt.start();
            monitor.iteration(0, value, last[0], x);
            for (int k = 1; k <= settings.iterations(); k++) {
                if (monitor.stopRequested()) {
                    return k - 1;
                }
                Changes changes = monitor.changes(k);
                if (changes != null) {
                    if (changes.termFactors() != null) {
                        factors.putAll(changes.termFactors());
                    }
                    if (changes.learningRate() != null) {
                        settings = settings.withLearningRate(changes.learningRate());
                    }
                    opt.close();
                    opt = create(x, f, preprocessing, settings);
                    opt.start();
                }
                Optional<Convergence> done = opt.convergence();
                if (done.isPresent()) {
                    monitor.stoppedEarly(k - 1, describe(done.get(), preprocessing));
                    return k - 1;
                }
                value = opt.step();
                monitor.iteration(k, value, last[0], x);
            }
            return settings.iterations();
        } finally {
            opt.close();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Float>[] newHolder() {
        return (Map<String, Float>[]) new Map[1];
    }

    /** The L-BFGS options for images: the defaults with the first step and the step test in 8-bit levels. */
    private static LbfgsOptions lbfgsOptions(Preprocessing p, int historySize) {
        return LbfgsOptions.defaults().withHistorySize(historySize)
                .withFirstStep(networkUnits(FIRST_STEP_LEVELS / 255f, p))
                .withStopping(LbfgsOptions.Stopping.defaults().withStep(networkUnits(STOP_STEP_LEVELS / 255f, p)));
    }

    /** A pixel change in RGB units ([0, 1]) as a change in network units. */
    private static float networkUnits(float rgb, Preprocessing p) {
        return rgb / ImageTensors.rgbUnit(p);
    }

    /** The convergence in words, the step test in 8-bit levels (the unit a user sees) rather than network units. */
    static String describe(Convergence c, Preprocessing p) {
        if (c.criterion() == Convergence.Criterion.STEP) {
            return "each of the last " + c.window() + " steps moved no pixel by more than "
                    + Convergence.number(c.tolerance() * ImageTensors.rgbUnit(p) * 255) + " of an 8-bit level";
        }
        return c.toString();
    }

    private static Optimizer create(Tensor x, Objective f, Preprocessing p, Settings s) {
        return switch (s.optimizer()) {
            case LBFGS -> new Lbfgs(x, f, lbfgsOptions(p, s.historySize()));
            case ADAM -> new Adam(x, f, AdamOptions.defaults().withLearningRate(networkUnits(s.learningRate(), p)));
        };
    }
}
