package dev.pixelgrad.algorithms.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Draws a loss curve (iteration against loss) with Java2D. The loss axis goes log scale where the
 * loss spans more than two decades; both axes carry ticks from {@link PlotAxis}.
 */
public final class LossPlot {
    private static final int W = 640, H = 400, LEFT = 80, RIGHT = 20, TOP = 40, BOTTOM = 50;
    private static final Color GRID = new Color(230, 230, 230), CURVE = new Color(31, 119, 180);

    private LossPlot() {
    }

    public static BufferedImage render(List<Float> losses, String title) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics fm = g.getFontMetrics();
        int pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
        int last = Math.max(1, losses.size() - 1);
        PlotAxis y = lossAxis(losses), x = PlotAxis.linear(0, last, true);

        for (PlotAxis.Tick t : y.ticks()) {
            int py = TOP + (int) Math.round(ph * (1 - y.fraction(t.value())));
            g.setColor(GRID);
            g.drawLine(LEFT, py, LEFT + pw, py);
            g.setColor(Color.DARK_GRAY);
            g.drawString(t.label(), Math.max(2, LEFT - 6 - fm.stringWidth(t.label())), py + fm.getAscent() / 2 - 1);
        }
        for (PlotAxis.Tick t : x.ticks()) {
            int px = LEFT + (int) Math.round(pw * x.fraction(t.value()));
            g.setColor(Color.DARK_GRAY);
            g.drawLine(px, TOP + ph, px, TOP + ph + 4);
            g.drawString(t.label(), px - fm.stringWidth(t.label()) / 2, TOP + ph + 18);
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(LEFT, TOP, pw, ph);
        g.drawString("iteration", LEFT + pw / 2 - fm.stringWidth("iteration") / 2, H - 12);
        g.drawString(title + (y.log() ? " (loss, log scale)" : " (loss)"), LEFT, 25);

        Path2D.Double path = new Path2D.Double();
        boolean started = false;
        for (int i = 0; i < losses.size(); i++) {
            float v = losses.get(i);
            if (!Float.isFinite(v) || (y.log() && v <= 0)) {
                continue;
            }
            double px = LEFT + pw * x.fraction(i), py = TOP + ph * (1 - y.fraction(v));
            if (started) {
                path.lineTo(px, py);
            } else {
                path.moveTo(px, py);
                started = true;
            }
        }
        g.setColor(CURVE);
        g.setStroke(new BasicStroke(2f));
        g.draw(path);
        g.dispose();
        return img;
    }

    /** The loss axis through the finite losses. */
    static PlotAxis lossAxis(List<Float> losses) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (float v : losses) {
            if (Float.isFinite(v)) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        return PlotAxis.forValues(lo, hi);
    }
}
