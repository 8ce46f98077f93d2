package dev.pixelgrad.algorithms.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/** Draws a loss curve (iteration against loss, log scale when the loss spans decades) with Java2D. */
public final class LossPlot {
    private LossPlot() {
    }

    public static BufferedImage render(List<Float> losses, String title) {
        int w = 640, h = 400, left = 80, right = 20, top = 40, bottom = 50;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float v : losses) {
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (!(hi >= lo)) {
            lo = 0;
            hi = 1;
        }
        boolean log = lo > 0 && hi / lo > 100;
        double a = log ? Math.log10(lo) : lo, b = log ? Math.log10(hi) : hi;
        if (b - a < 1e-12) {
            b = a + 1;
        }
        int pw = w - left - right, ph = h - top - bottom;
        g.setColor(new Color(230, 230, 230));
        for (int i = 0; i <= 4; i++) {
            int y = top + ph * i / 4;
            g.drawLine(left, y, left + pw, y);
            double v = b - (b - a) * i / 4;
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(Locale.ROOT, "%.3g", log ? Math.pow(10, v) : v), 5, y + 4);
            g.setColor(new Color(230, 230, 230));
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(left, top, pw, ph);
        int n = Math.max(1, losses.size() - 1);
        g.drawString("0", left, top + ph + 18);
        g.drawString(Integer.toString(n), left + pw - 20, top + ph + 18);
        g.drawString("iteration", left + pw / 2 - 25, h - 12);
        g.drawString(title + (log ? " (loss, log scale)" : " (loss)"), left, 25);
        Path2D.Double path = new Path2D.Double();
        boolean started = false;
        for (int i = 0; i < losses.size(); i++) {
            float v = losses.get(i);
            if (!Float.isFinite(v) || (log && v <= 0)) {
                continue;
            }
            double t = log ? Math.log10(v) : v;
            double px = left + pw * (double) i / n, py = top + ph * (b - t) / (b - a);
            if (started) {
                path.lineTo(px, py);
            } else {
                path.moveTo(px, py);
                started = true;
            }
        }
        g.setColor(new Color(31, 119, 180));
        g.setStroke(new BasicStroke(2f));
        g.draw(path);
        g.dispose();
        return img;
    }
}
