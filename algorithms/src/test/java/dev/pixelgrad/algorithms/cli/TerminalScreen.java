package dev.pixelgrad.algorithms.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * What a terminal shows after receiving some output: {@code \r} returns to the start of the line,
 * {@code \n} starts the next line (a terminal in its usual mode turns it into \r\n), ESC[nA / ESC[nB
 * move the cursor up / down, ESC[K clears to the end of the line, and other characters overwrite
 * what is under the cursor. Enough for progress bars, not a full VT100.
 */
final class TerminalScreen {
    private TerminalScreen() {
    }

    /** The screen's lines after {@code output}, trailing spaces and trailing empty lines removed. */
    static List<String> lines(String output) {
        List<StringBuilder> rows = new ArrayList<>();
        rows.add(new StringBuilder());
        int row = 0, col = 0;
        for (int i = 0; i < output.length(); i++) {
            char c = output.charAt(i);
            if (c == '\r') {
                col = 0;
            } else if (c == '\n') {
                row++;
                col = 0;
            } else if (c == '\u001b' && i + 1 < output.length() && output.charAt(i + 1) == '[') {
                int j = i + 2, n = 0;
                boolean digits = false;
                while (j < output.length() && Character.isDigit(output.charAt(j))) {
                    n = n * 10 + output.charAt(j++) - '0';
                    digits = true;
                }
                char op = j < output.length() ? output.charAt(j) : '?';
                int count = digits ? n : 1;
                if (op == 'A') {
                    row = Math.max(0, row - count);
                } else if (op == 'B') {
                    row += count;
                } else if (op == 'K') {
                    while (row >= rows.size()) {
                        rows.add(new StringBuilder());
                    }
                    StringBuilder line = rows.get(row);
                    line.setLength(Math.min(line.length(), col));
                }
                i = j;
                continue;
            } else {
                while (row >= rows.size()) {
                    rows.add(new StringBuilder());
                }
                StringBuilder line = rows.get(row);
                while (line.length() < col) {
                    line.append(' ');
                }
                if (col < line.length()) {
                    line.setCharAt(col, c);
                } else {
                    line.append(c);
                }
                col++;
            }
            while (row >= rows.size()) {
                rows.add(new StringBuilder());
            }
        }
        List<String> out = new ArrayList<>();
        for (StringBuilder r : rows) {
            out.add(r.toString().stripTrailing());
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return out;
    }
}
