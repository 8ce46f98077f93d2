package dev.pixelgrad.algorithms.embedding;

import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Exact k-nearest-neighbour search in Euclidean space by a vantage-point tree (Yianilos 1993), as
 * Barnes–Hut t-SNE uses it: each node holds one point and the median distance from it to the
 * others below; the inner half lies within that radius, the outer half beyond. A query descends
 * into the nearer half first and visits the other only while the ball of its current k-th
 * neighbour crosses the boundary.
 * <p>
 * Ties in distance are broken by the smaller index, so the result equals a sorted brute-force
 * search exactly and does not depend on how the tree was built.
 */
public final class VantagePointTree {
    private final double[][] x;
    // node n holds the point index[n]; its inner children lie in index[n+1 .. split[n]), outer in [split[n] .. end[n])
    private final int[] index;
    private final double[] radius;
    private final int[] split;
    private final int[] end;

    /** Builds the tree over the rows of {@code x} (kept by reference); {@code seed} picks the vantage points. */
    public VantagePointTree(double[][] x, long seed) {
        this.x = x;
        int n = x.length;
        index = new int[n];
        radius = new double[n];
        split = new int[n];
        end = new int[n];
        for (int i = 0; i < n; i++) {
            index[i] = i;
        }
        build(0, n, new SplittableRandom(seed), new double[n]);
    }

    /** Lays out index[lo, hi) as a subtree rooted at lo. Iterative over the outer half to keep the stack shallow. */
    private void build(int lo, int hi, SplittableRandom random, double[] dist) {
        while (lo < hi) {
            int v = lo + random.nextInt(hi - lo);
            swap(lo, v);
            end[lo] = hi;
            if (hi - lo == 1) {
                split[lo] = hi;
                return;
            }
            double[] p = x[index[lo]];
            for (int i = lo + 1; i < hi; i++) {
                dist[index[i]] = distance(p, x[index[i]]);
            }
            int mid = (lo + 1 + hi) / 2;   // inner half: [lo+1, mid)
            select(lo + 1, hi, mid, dist);
            radius[lo] = dist[index[mid]];
            split[lo] = mid;
            build(lo + 1, mid, random, dist);
            lo = mid;
        }
    }

    /** Quickselect: index[k] gets the k-th smallest distance, smaller ones before it, larger after. */
    private void select(int lo, int hi, int k, double[] dist) {
        int left = lo, right = hi - 1;
        while (left < right) {
            double pivot = dist[index[(left + right) >>> 1]];
            int i = left, j = right;
            while (i <= j) {
                while (dist[index[i]] < pivot) i++;
                while (dist[index[j]] > pivot) j--;
                if (i <= j) {
                    swap(i++, j--);
                }
            }
            if (k <= j) {
                right = j;
            } else if (k >= i) {
                left = i;
            } else {
                return;
            }
        }
    }

    private void swap(int a, int b) {
        int t = index[a];
        index[a] = index[b];
        index[b] = t;
    }

    static double distance(double[] a, double[] b) {
        double s = 0;
        for (int d = 0; d < a.length; d++) {
            double t = a[d] - b[d];
            s += t * t;
        }
        return Math.sqrt(s);
    }

    /**
     * The {@code k} nearest rows to row {@code query}, itself excluded, nearest first.
     *
     * @param neighbours receives their indices (length ≥ k)
     * @param distances  receives their Euclidean distances (length ≥ k)
     */
    public void nearest(int query, int k, int[] neighbours, double[] distances) {
        if (k > x.length - 1) {
            throw new IllegalArgumentException("vp-tree: " + k + " neighbours asked of " + x.length + " points");
        }
        double[] q = x[query];
        // max-heap on (distance, index): the root is the current k-th neighbour
        PriorityQueue<double[]> heap = new PriorityQueue<>(k + 1, (a, b) -> a[0] != b[0] ? Double.compare(b[0], a[0]) : Double.compare(b[1], a[1]));
        // depth-first, nearer half first; each entry carries a lower bound on the distance from q to its points
        int[] stack = new int[64];
        double[] bound = new double[64];
        int top = 0;
        stack[top] = 0;
        bound[top++] = 0;
        while (top > 0) {
            int node = stack[--top];
            if (heap.size() == k && bound[top] > heap.peek()[0]) {
                continue;
            }
            int p = index[node];
            double d = distance(q, x[p]);
            if (p != query && (heap.size() < k || d < heap.peek()[0] || d == heap.peek()[0] && p < heap.peek()[1])) {
                heap.add(new double[]{d, p});
                if (heap.size() > k) {
                    heap.poll();
                }
            }
            if (top + 2 > stack.length) {
                stack = Arrays.copyOf(stack, stack.length * 2);
                bound = Arrays.copyOf(bound, bound.length * 2);
            }
            // inner points lie within radius of the vantage point, outer ones at radius or beyond
            int inner = node + 1, outer = split[node];
            boolean hasInner = inner < split[node], hasOuter = outer < end[node];
            double innerBound = Math.max(0, d - radius[node]), outerBound = Math.max(0, radius[node] - d);
            if (d < radius[node]) {
                if (hasOuter) { stack[top] = outer; bound[top++] = outerBound; }
                if (hasInner) { stack[top] = inner; bound[top++] = innerBound; }
            } else {
                if (hasInner) { stack[top] = inner; bound[top++] = innerBound; }
                if (hasOuter) { stack[top] = outer; bound[top++] = outerBound; }
            }
        }
        for (int i = k - 1; i >= 0; i--) {
            double[] e = heap.poll();
            distances[i] = e[0];
            neighbours[i] = (int) e[1];
        }
    }
}
