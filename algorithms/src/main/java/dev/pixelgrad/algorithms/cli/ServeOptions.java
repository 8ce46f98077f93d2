package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.cli.live.LiveView;
import dev.pixelgrad.algorithms.image.RgbImage;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

/** Watching a run in the browser (dream, invert, texture, style): the live page's server. */
final class ServeOptions {
    /** The port {@code --serve} takes when given no value. */
    static final int DEFAULT_PORT = 8765;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--serve", arity = "0..1", fallbackValue = "" + DEFAULT_PORT, paramLabel = "PORT", converter = Checked.Port.class,
            description = "Watch the run in a browser: serve a live page (image, gradient, loss curve; pause, stop, change "
                    + "weights) on this port and print its URL; a busy port falls back to a free one (port when given "
                    + "without a value: " + DEFAULT_PORT + ").")
    Integer port;

    @Option(names = "--serve-every", defaultValue = "1", paramLabel = "N", converter = Checked.PositiveInt.class,
            description = "Send the page the image every N iterations, at most 2 a second and fewer when encoding is slow "
                    + "(default: ${DEFAULT-VALUE}).")
    int every;

    @Option(names = "--serve-host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Address to serve on; anything but loopback (e.g. 0.0.0.0) adds a random access token to the URL "
                    + "(default: ${DEFAULT-VALUE}).")
    String host;

    boolean enabled() {
        return port != null;
    }

    /** Throws when --serve-every or --serve-host is given without --serve: they would do nothing. */
    void check() {
        ParseResult given = command.commandLine().getParseResult();
        for (String option : new String[]{"--serve-every", "--serve-host"}) {
            if (!enabled() && given.hasMatchedOption(option)) {
                throw new IllegalArgumentException(option + ": needs --serve (it sets how the live page is served)");
            }
        }
        if (host.isBlank()) {
            throw new IllegalArgumentException("--serve-host: expected an address such as 127.0.0.1 or 0.0.0.0, got an empty one");
        }
        if (enabled()) {
            try {
                InetAddress.getByName(host);   // before the network loads, not after
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("--serve-host: cannot resolve '" + host + "'; give an address of this machine "
                        + "such as 127.0.0.1 (default) or 0.0.0.0 (every network)");
            }
        }
    }

    LiveView.Setup setup(Map<String, RgbImage> references) {
        return new LiveView.Setup(host, port, every, references);
    }
}
