package dev.pixelgrad.algorithms.image;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** Square tiles of one size in a grid, row by row, each with a caption line below it (Java2D). */
public final class TileGrid {
    private static final int GAP = 4, CAPTION = 14;

    private TileGrid() {
    }

    /** About as many columns as rows: ceil(sqrt(n)). */
    public static BufferedImage render(List<RgbImage> tiles, List<String> captions) {
        return render(tiles, captions, (int) Math.ceil(Math.sqrt(tiles.size())));
    }

    /** {@code cols} tiles per row. */
    public static BufferedImage render(List<RgbImage> tiles, List<String> captions, int cols) {
        if (tiles.isEmpty() || tiles.size() != captions.size() || cols < 1) {
            throw new IllegalArgumentException("tile grid: " + tiles.size() + " tiles, " + captions.size() + " captions, "
                    + cols + " columns");
        }
        int side = tiles.get(0).height();
        int rows = (tiles.size() + cols - 1) / cols;
        int cellW = side + GAP, cellH = side + CAPTION + GAP;
        BufferedImage img = new BufferedImage(cols * cellW + GAP, rows * cellH + GAP, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < tiles.size(); i++) {
            int x = GAP + (i % cols) * cellW, y = GAP + (i / cols) * cellH;
            g.drawImage(ImageFiles.toBufferedImage(tiles.get(i)), x, y, null);
            g.setColor(Color.BLACK);
            g.drawString(fitted(captions.get(i), side, fm), x, y + side + fm.getAscent());
        }
        g.dispose();
        return img;
    }

    /** The caption, cut at the end with "..." until it fits the width (the full text is in the command's table). */
    private static String fitted(String text, int width, FontMetrics fm) {
        if (fm.stringWidth(text) <= width) {
            return text;
        }
        String s = text;
        while (s.length() > 1 && fm.stringWidth(s + "...") > width) {
            s = s.substring(0, s.length() - 1);
        }
        return s + "...";
    }
}
