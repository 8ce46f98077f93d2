package dev.pixelgrad.algorithms.embedding;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The assignment against brute force, and the grid snapping built on it. */
class LinearAssignmentTest {
    @Test
    void minimalCostAgainstEveryPermutation() {
        Random r = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(7);
            double[][] c = new double[n][n];
            for (double[] row : c) {
                for (int j = 0; j < n; j++) {
                    // integer costs give ties, real ones not
                    row[j] = trial % 2 == 0 ? r.nextInt(5) : r.nextDouble() * 10 - 3;
                }
            }
            int[] a = LinearAssignment.solve(c);
            assertEquals(n, a.length);
            assertEquals(n, distinct(a).size(), "every column once");
            assertEquals(bruteForce(c, new int[n], new boolean[n], 0), LinearAssignment.cost(c, a), 1e-9, "trial " + trial);
        }
    }

    @Test
    void moreColumnsThanRowsLeavesTheDearestFree() {
        double[][] c = {{5, 1, 9}, {1, 5, 9}};
        assertArrayEquals(new int[]{1, 0}, LinearAssignment.solve(c));
        assertThrows(IllegalArgumentException.class, () -> LinearAssignment.solve(new double[][]{{1}, {2}}));
        assertThrows(IllegalArgumentException.class, () -> LinearAssignment.solve(new double[][]{{Double.NaN}}));
    }

    @Test
    void gridSnappingGivesEveryImageItsOwnCellOfAFullGrid() {
        Random r = new Random(3);
        for (int n : new int[]{1, 2, 5, 10, 17, 40}) {
            double[][] p = new double[n][2];
            for (double[] q : p) {
                q[0] = r.nextGaussian() * 4;
                q[1] = r.nextGaussian();
            }
            int[] cells = GridLayout.cells(p);
            Set<Integer> used = distinct(cells);
            assertEquals(n, used.size(), "distinct cells for " + n);
            assertTrue(used.stream().allMatch(c -> c >= 0 && c < n), "only the first n cells: no holes before the last row");
            assertTrue(GridLayout.columns(n) * GridLayout.rows(n) >= n && GridLayout.columns(n) * (GridLayout.rows(n) - 1) < n);
        }
    }

    @Test
    void aMapAlreadyOnAGridKeepsItsPlaces() {
        // 3x3 points in reading order, shuffled: each must land on its own cell
        List<Integer> order = List.of(4, 0, 8, 2, 6, 1, 7, 3, 5);
        double[][] p = new double[9][];
        for (int i = 0; i < 9; i++) {
            int cell = order.get(i);
            p[i] = new double[]{cell % 3 * 10.0, cell / 3 * 10.0};
        }
        int[] cells = GridLayout.cells(p);
        for (int i = 0; i < 9; i++) {
            assertEquals(order.get(i), cells[i]);
        }
    }

    private static Set<Integer> distinct(int[] a) {
        Set<Integer> s = new HashSet<>();
        for (int v : a) {
            s.add(v);
        }
        return s;
    }

    private static double bruteForce(double[][] c, int[] perm, boolean[] taken, int row) {
        if (row == c.length) {
            return LinearAssignment.cost(c, perm);
        }
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < c.length; j++) {
            if (!taken[j]) {
                taken[j] = true;
                perm[row] = j;
                best = Math.min(best, bruteForce(c, perm, taken, row + 1));
                taken[j] = false;
            }
        }
        return best;
    }
}
