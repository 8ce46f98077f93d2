package dev.pixelgrad.algorithms.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every {@code --help} page in one style: defaults written one way, and lines that wrap cleanly at 80 columns. */
class HelpPagesTest {
    /** The one way to write a default: last, in brackets, before the full stop. */
    static final Pattern DEFAULT_LAST = Pattern.compile(".*\\(default: [^()]+\\)\\.");

    /** Every command and subcommand, the top level included. */
    static List<CommandLine> commands() {
        List<CommandLine> all = new ArrayList<>();
        collect(Main.commandLine((file, backend) -> {
            throw new AssertionError("help loads no network");
        }), all);
        return all;
    }

    private static void collect(CommandLine cl, List<CommandLine> into) {
        into.add(cl);
        cl.getSubcommands().values().forEach(sub -> collect(sub, into));
    }

    @Test
    void everyDefaultIsWrittenOneWay() {
        List<String> bad = new ArrayList<>();
        for (CommandLine cl : commands()) {
            String name = cl.getCommandSpec().qualifiedName();
            if (cl.getCommandSpec().usageMessage().showDefaultValues()) {
                bad.add(name + ": showDefaultValues adds picocli's own 'Default:' lines");
            }
            for (OptionSpec o : cl.getCommandSpec().options()) {
                if (o.usageHelp() || o.versionHelp()) {
                    continue;
                }
                String d = String.join(" ", o.description());
                boolean mentionsDefault = d.toLowerCase(java.util.Locale.ROOT).contains("default");
                if (o.defaultValue() != null && !d.endsWith("(default: " + o.defaultValue() + ")."))
                    bad.add(name + " " + o.longestName() + ": default " + o.defaultValue() + " not written as (default: "
                            + o.defaultValue() + ").: " + d);
                else if (mentionsDefault && !(DEFAULT_LAST.matcher(d).matches() && d.indexOf("efault") == d.lastIndexOf("efault")))
                    bad.add(name + " " + o.longestName() + ": a default written another way: " + d);
            }
        }
        assertEquals(List.of(), bad);
    }

    /**
     * A wrapped line may not end inside a token: after a lone or leading dot ("~/." then "cache", ". "
     * then "caffemodel"), an opening bracket, or the "[:" and "[," of an option's label.
     */
    static final Pattern BROKEN_END = Pattern.compile(".*((^|[\\s(\\[/~])\\.|[(\\[]|\\[[:,]|/)$");

    @Test
    void everyPageWrapsCleanlyAt80Columns() {
        List<String> bad = new ArrayList<>();
        for (CommandLine cl : commands()) {
            String usage = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertTrue(usage.contains("Usage: "), usage);
            for (String line : usage.lines().toList()) {
                if (line.length() > 80 || BROKEN_END.matcher(line.stripTrailing()).matches()) {
                    bad.add(cl.getCommandSpec().qualifiedName() + ": '" + line + "'");
                }
            }
        }
        assertEquals(List.of(), bad);
    }

    /** The pattern itself catches the wraps the pages had before. */
    @Test
    void theWrapCheckCatchesWhatItShould() {
        for (String line : List.of("  convert    Convert VGG weights (.pth zip or legacy, .safetensors, .",
                "Fetch published VGG weights into the cache ($PIXELGRAD_HOME, default ~/.",
                "                         [--init=noise|FILE] [--iterations=N] [--layers=L[:",
                "                       [--tv-weight=GAMMA] [--weights=FILE] --style=FILE[,")) {
            assertTrue(BROKEN_END.matcher(line).matches(), line);
        }
        assertFalse(BROKEN_END.matcher("      --plot                Also write the loss curve as OUT-loss.png.").matches());
    }
}
