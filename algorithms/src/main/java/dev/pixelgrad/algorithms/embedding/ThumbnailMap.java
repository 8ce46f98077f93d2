package dev.pixelgrad.algorithms.embedding;

import dev.pixelgrad.algorithms.image.ImageFiles;
import dev.pixelgrad.algorithms.image.RgbImage;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/** A picture of a 2-D map: each point's thumbnail at its place, or on the cell of a full grid. */
public final class ThumbnailMap {
    /** The widest scatter map, in pixels. */
    public static final int MAX_SIDE = 2000;
    private static final Color BACKGROUND = new Color(38, 38, 38);

    private ThumbnailMap() {
    }

    /**
     * The thumbnails (all square, the same side) centred at the points, on a square canvas sized
     * from their number (about 2.5 thumbnails of room per point along each side, at most
     * {@value #MAX_SIDE} px) and scaled by one factor for both axes so the map keeps its shape.
     * Later points are drawn over earlier ones.
     */
    public static BufferedImage scatter(double[][] points, List<RgbImage> thumbs) {
        int t = side(thumbs), n = points.length;
        int canvas = (int) Math.max(4L * t, Math.min(MAX_SIDE, Math.round(2.5 * t * Math.sqrt(n))));
        double[] lo = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY}, hi = {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double[] p : points) {
            for (int a = 0; a < 2; a++) {
                lo[a] = Math.min(lo[a], p[a]);
                hi[a] = Math.max(hi[a], p[a]);
            }
        }
        double range = Math.max(hi[0] - lo[0], hi[1] - lo[1]), room = canvas - t;
        double scale = range > 0 ? room / range : 0;
        BufferedImage img = blank(canvas, canvas);
        Graphics2D g = img.createGraphics();
        for (int i = 0; i < n; i++) {
            // centre the map's extent on the canvas along each axis
            int x = (int) Math.round((points[i][0] - lo[0]) * scale + (room - (hi[0] - lo[0]) * scale) / 2);
            int y = (int) Math.round((points[i][1] - lo[1]) * scale + (room - (hi[1] - lo[1]) * scale) / 2);
            g.drawImage(ImageFiles.toBufferedImage(thumbs.get(i)), x, y, null);
        }
        g.dispose();
        return img;
    }

    /** The thumbnails on the cells from {@link GridLayout#cells}: columns(n) x rows(n) thumbnails, no gaps. */
    public static BufferedImage grid(int[] cells, List<RgbImage> thumbs) {
        int t = side(thumbs), n = cells.length, cols = GridLayout.columns(n);
        BufferedImage img = blank(cols * t, GridLayout.rows(n) * t);
        Graphics2D g = img.createGraphics();
        for (int i = 0; i < n; i++) {
            g.drawImage(ImageFiles.toBufferedImage(thumbs.get(i)), cells[i] % cols * t, cells[i] / cols * t, null);
        }
        g.dispose();
        return img;
    }

    private static int side(List<RgbImage> thumbs) {
        RgbImage first = thumbs.get(0);
        for (RgbImage t : thumbs) {
            if (t.height() != first.height() || t.width() != first.width() || t.height() != t.width()) {
                throw new IllegalArgumentException("thumbnail map: thumbnails must be square and of one size, got "
                        + t.sizeText() + " and " + first.sizeText());
            }
        }
        return first.width();
    }

    private static BufferedImage blank(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, w, h);
        g.dispose();
        return img;
    }
}
