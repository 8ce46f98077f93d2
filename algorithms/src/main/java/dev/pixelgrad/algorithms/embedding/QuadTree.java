package dev.pixelgrad.algorithms.embedding;

import java.util.Arrays;

/**
 * A quadtree over the 2-D map for the repulsive forces of Barnes–Hut t-SNE. Each cell keeps the
 * number of points below it and their centre of mass; a cell seen from point i at distance d
 * whose side s satisfies s / d &lt; θ is treated as one body of that many points at its centre.
 * <p>
 * Cells live in parallel arrays (no object per cell); children of cell c are
 * {@code firstChild[c] + 0..3} in the order (x low, y low), (x high, y low), (x low, y high), (x high, y high).
 */
final class QuadTree {
    /** Coincident points below this depth share a leaf (a cell would otherwise split forever). */
    private static final int MAX_DEPTH = 48;

    private final double[] y;   // the map, interleaved x0 y0 x1 y1 ...
    private double[] centreX = new double[64], centreY = new double[64], half = new double[64];
    private double[] massX = new double[64], massY = new double[64];
    private int[] count = new int[64], firstChild = new int[64], point = new int[64];
    private int cells;

    /** Builds the tree over the {@code y.length / 2} points of {@code y}. */
    QuadTree(double[] y) {
        this.y = y;
        int n = y.length / 2;
        double minX = Double.POSITIVE_INFINITY, minY = minX, maxX = Double.NEGATIVE_INFINITY, maxY = maxX;
        for (int i = 0; i < n; i++) {
            minX = Math.min(minX, y[2 * i]);
            maxX = Math.max(maxX, y[2 * i]);
            minY = Math.min(minY, y[2 * i + 1]);
            maxY = Math.max(maxY, y[2 * i + 1]);
        }
        double h = Math.max(maxX - minX, maxY - minY) / 2 * (1 + 1e-9) + 1e-12;
        newCell((minX + maxX) / 2, (minY + maxY) / 2, h);
        for (int i = 0; i < n; i++) {
            insert(i);
        }
        for (int c = 0; c < cells; c++) {
            massX[c] /= count[c];
            massY[c] /= count[c];
        }
    }

    private int newCell(double cx, double cy, double h) {
        if (cells == count.length) {
            int size = cells * 2;
            centreX = Arrays.copyOf(centreX, size);
            centreY = Arrays.copyOf(centreY, size);
            half = Arrays.copyOf(half, size);
            massX = Arrays.copyOf(massX, size);
            massY = Arrays.copyOf(massY, size);
            count = Arrays.copyOf(count, size);
            firstChild = Arrays.copyOf(firstChild, size);
            point = Arrays.copyOf(point, size);
        }
        int c = cells++;
        centreX[c] = cx;
        centreY[c] = cy;
        half[c] = h;
        firstChild[c] = -1;
        point[c] = -1;
        return c;
    }

    private void insert(int i) {
        double px = y[2 * i], py = y[2 * i + 1];
        int c = 0;
        for (int depth = 0; ; depth++) {
            count[c]++;
            massX[c] += px;
            massY[c] += py;
            if (firstChild[c] < 0) {
                if (count[c] == 1) {   // an empty leaf takes the point
                    point[c] = i;
                    return;
                }
                int old = point[c];
                if (depth >= MAX_DEPTH || (y[2 * old] == px && y[2 * old + 1] == py)) {
                    return;   // coincident: the leaf holds them all, represented by its first point
                }
                split(c);
                // move the old point one level down (its mass is already counted in c)
                int child = childFor(c, y[2 * old], y[2 * old + 1]);
                count[child] = 1;
                massX[child] = y[2 * old];
                massY[child] = y[2 * old + 1];
                point[child] = old;
                point[c] = -1;
            }
            c = childFor(c, px, py);
        }
    }

    private void split(int c) {
        double h = half[c] / 2, cx = centreX[c], cy = centreY[c];
        int first = newCell(cx - h, cy - h, h);
        newCell(cx + h, cy - h, h);
        newCell(cx - h, cy + h, h);
        newCell(cx + h, cy + h, h);
        firstChild[c] = first;
    }

    private int childFor(int c, double px, double py) {
        return firstChild[c] + (px > centreX[c] ? 1 : 0) + (py > centreY[c] ? 2 : 0);
    }

    /**
     * Adds to {@code force[0..1]} the unnormalised repulsion on point i,
     * Σ_j≠i q_ij² (y_i - y_j) with q_ij = 1 / (1 + |y_i - y_j|²), summarising far cells;
     * returns Σ_j≠i q_ij, point i's share of the normaliser Z.
     *
     * @param stack scratch space, reused between calls by one thread
     */
    double repulsion(int i, double theta, double[] force, int[] stack) {
        double px = y[2 * i], py = y[2 * i + 1];
        double z = 0, fx = 0, fy = 0, theta2 = theta * theta;
        int top = 0;
        stack[top++] = 0;
        while (top > 0) {
            int c = stack[--top];
            int n = count[c];
            if (n == 0) {
                continue;
            }
            double dx = px - massX[c], dy = py - massY[c], d2 = dx * dx + dy * dy;
            boolean leaf = firstChild[c] < 0;
            double side = 2 * half[c];
            if (leaf || side * side < theta2 * d2) {
                if (leaf && point[c] == i) {
                    n--;   // the point itself (and any coincident ones, which exert no force but count in Z)
                    if (n == 0) {
                        continue;
                    }
                } else if (leaf && d2 == 0 && containsCoincident(c, px, py)) {
                    // a leaf of points coincident with i, i itself among them but not its representative
                    n--;
                }
                double q = 1 / (1 + d2);
                z += n * q;
                double mult = n * q * q;
                fx += mult * dx;
                fy += mult * dy;
            } else {
                if (top + 4 > stack.length) {
                    throw new IllegalStateException("quadtree: stack too small");
                }
                for (int k = 0; k < 4; k++) {
                    stack[top++] = firstChild[c] + k;
                }
            }
        }
        force[0] += fx;
        force[1] += fy;
        return z;
    }

    private boolean containsCoincident(int c, double px, double py) {
        int p = point[c];
        return y[2 * p] == px && y[2 * p + 1] == py;
    }

    /** A stack deep enough for {@link #repulsion}: 3 siblings left behind per level, plus the root. */
    static int[] newStack() {
        return new int[4 * (MAX_DEPTH + 2) + 8];
    }
}
