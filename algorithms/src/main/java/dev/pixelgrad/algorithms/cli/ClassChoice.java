package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.lecture.Classifier;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * A class given on the command line as a number (0 to classes - 1) or an ImageNet name ("tabby",
 * "Egyptian cat", any case); an unknown name is refused with the closest names.
 */
final class ClassChoice {
    private ClassChoice() {
    }

    /**
     * @param option the option's name for messages, e.g. {@code --class}
     * @return the class index
     */
    static int parse(String option, String value, Classifier classifier) {
        int classes = classifier.classes();
        String v = value.trim();
        if (v.matches("-?\\d+")) {
            long k = Long.parseLong(v);
            if (k < 0 || k >= classes) {
                throw new IllegalArgumentException(option + " " + value + ": the classifier has classes 0 to " + (classes - 1));
            }
            return (int) k;
        }
        List<String> names = IntStream.range(0, classes).mapToObj(classifier::name).toList();
        String wanted = v.toLowerCase(Locale.ROOT);
        for (int k = 0; k < classes; k++) {
            if (names.get(k).toLowerCase(Locale.ROOT).equals(wanted)) {
                return k;
            }
        }
        List<String> closest = IntStream.range(0, classes).boxed()
                .sorted(Comparator.comparingInt((Integer k) -> distance(wanted, names.get(k).toLowerCase(Locale.ROOT))).thenComparing(k -> k))
                .limit(5).map(k -> "'" + names.get(k) + "' (" + k + ")").toList();
        throw new IllegalArgumentException(option + " '" + value + "': no class of that name; the closest are "
                + String.join(", ", closest) + ". Give a name or a number from 0 to " + (classes - 1));
    }

    /** Edit distance (insertions, deletions, substitutions), with a name that contains the word counted as close. */
    static int distance(String a, String b) {
        if (b.contains(a)) {
            return b.length() - a.length() > 0 ? 1 : 0;
        }
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
