package dev.pixelgrad.algorithms.image;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlotAxisTest {
    private static List<String> labels(PlotAxis a) {
        return a.ticks().stream().map(PlotAxis.Tick::label).toList();
    }

    /** Distinct labels, 3 to 8 of them, ticks inside the axis range and in order, ends mapped to 0 and 1. */
    private static void checkReadable(PlotAxis a, double min, double max) {
        List<String> l = labels(a);
        assertEquals(l.size(), new HashSet<>(l).size(), "repeated labels: " + l);
        assertTrue(l.size() >= 3 && l.size() <= 8, "tick count: " + l);
        assertTrue(a.lo() <= min && a.hi() >= max, a + " does not cover [" + min + ", " + max + "]");
        double previous = Double.NEGATIVE_INFINITY;
        for (PlotAxis.Tick t : a.ticks()) {
            assertTrue(t.value() > previous && t.value() >= a.lo() - 1e-9 * Math.abs(a.lo()) && t.value() <= a.hi() * (1 + 1e-12) + 1e-12, a.toString());
            assertTrue(t.label().length() <= 12, "label too long: " + t.label());
            previous = t.value();
        }
        assertEquals(0, a.fraction(a.lo()), 1e-12);
        assertEquals(1, a.fraction(a.hi()), 1e-12);
    }

    @Test
    void aNarrowRangeAtALargeValueGetsDistinctLabels() {
        // the report: a loss that moved from 76012 to 76018 had "7.60e+04" on every grid line
        PlotAxis a = PlotAxis.forValues(76012.3, 76018.9);
        checkReadable(a, 76012.3, 76018.9);
        assertFalse(a.log());
        assertEquals(List.of("76012", "76014", "76016", "76018", "76020"), labels(a));
    }

    @Test
    void linearStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(List.of("0", "20", "40", "60", "80", "100"), labels(PlotAxis.forValues(3, 97)));
        assertEquals(List.of("0.0", "0.5", "1.0", "1.5", "2.0", "2.5"), labels(PlotAxis.forValues(0.1, 2.4)));
        assertEquals(List.of("-10", "-5", "0", "5"), labels(PlotAxis.forValues(-7, 4)));
        for (double raw : new double[]{0.013, 0.7, 1, 3.2, 47, 1e6 + 1}) {
            double step = PlotAxis.niceStep(raw), mantissa = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
            assertTrue(step >= raw && step < 5.01 * raw, raw + " -> " + step);
            assertTrue(List.of(1.0, 2.0, 5.0).stream().anyMatch(m -> Math.abs(m - mantissa) < 1e-9), raw + " -> " + step);
        }
    }

    @Test
    void largeAndTinyValuesGoScientificWithEnoughDigits() {
        PlotAxis big = PlotAxis.forValues(7.6001e7, 7.6009e7);
        checkReadable(big, 7.6001e7, 7.6009e7);
        assertTrue(labels(big).get(0).contains("e+07"), labels(big).toString());
        PlotAxis tiny = PlotAxis.forValues(1.2e-6, 1.9e-6);
        checkReadable(tiny, 1.2e-6, 1.9e-6);
        assertTrue(labels(tiny).get(0).contains("e-06"), labels(tiny).toString());
    }

    @Test
    void decadesGoLogScaleWithATickPerDecade() {
        PlotAxis a = PlotAxis.forValues(2283, 4.1e7);
        checkReadable(a, 2283, 4.1e7);
        assertTrue(a.log());
        assertEquals(List.of("1000", "10000", "1e+05", "1e+06", "1e+07", "1e+08"), labels(a));
        assertEquals(0.5, a.fraction(Math.sqrt(1e3 * 1e8)), 1e-12);
        PlotAxis wide = PlotAxis.forValues(3e-4, 2e12);
        checkReadable(wide, 3e-4, 2e12);
        assertEquals(List.of("1e-04", "1", "10000", "1e+08", "1e+12"), labels(wide), "every few decades when there are many");
    }

    @Test
    void spansOfTwoDecadesOrLessStayLinear() {
        assertFalse(PlotAxis.forValues(10, 900).log());
        assertFalse(PlotAxis.forValues(-5, 5000).log());
    }

    @Test
    void constantEmptyAndNonFiniteRangesStillHaveAnAxis() {
        checkReadable(PlotAxis.forValues(76000, 76000), 76000, 76000);
        checkReadable(PlotAxis.forValues(0, 0), 0, 0);
        PlotAxis none = PlotAxis.forValues(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY);
        checkReadable(none, 0, 1);
    }

    @Test
    void iterationTicksAreWholeNumbersInsideTheRun() {
        PlotAxis x = PlotAxis.linear(0, 40, true);
        assertEquals(List.of("0", "10", "20", "30", "40"), labels(x));
        assertEquals(List.of("0", "1"), labels(PlotAxis.linear(0, 1, true)));
        assertEquals(List.of("0", "100", "200", "300"), labels(PlotAxis.linear(0, 300, true)));
        assertEquals(0, x.lo());
        assertEquals(40, x.hi());
    }

    @Test
    void thePlotRendersEveryKindOfCurve() {
        List<Float> decaying = new ArrayList<>();
        for (int i = 0; i <= 40; i++) {
            decaying.add((float) (4e7 * Math.exp(-0.25 * i) + 2000));
        }
        for (List<Float> losses : List.of(decaying, List.of(76012f, 76013f, 76018f), List.of(5f), List.<Float>of(),
                List.of(Float.NaN, 3f, Float.POSITIVE_INFINITY))) {
            BufferedImage img = LossPlot.render(losses, "style");
            assertEquals(640, img.getWidth());
        }
        assertTrue(LossPlot.lossAxis(decaying).log());
    }
}
