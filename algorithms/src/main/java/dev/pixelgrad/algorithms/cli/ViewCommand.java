package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.cli.live.Gallery;
import dev.pixelgrad.algorithms.cli.live.LocalServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "view", mixinStandardHelpOptions = true, sortOptions = false,
        customSynopsis = "pixelgrad view DIR [OPTIONS]",
        description = "Serve a gallery of past runs in DIR to a browser: each run's --save-every images as a scrubbable "
                + "sequence, its --log's loss curves, and every run's loss side by side. Name a run's log like its image "
                + "(cat.png, cat.jsonl) to show them together. Runs until Ctrl-C.")
final class ViewCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "The folder the runs wrote their --out, checkpoints and --log into.")
    Path dir;

    @Option(names = "--port", defaultValue = "" + ServeOptions.DEFAULT_PORT, paramLabel = "PORT", converter = Checked.Port.class,
            description = "Port to serve on; a busy port falls back to a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--serve-host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Address to serve on; anything but loopback (e.g. 0.0.0.0) adds a random access token to the URL "
                    + "(default: ${DEFAULT-VALUE}).")
    String host;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Gallery gallery = Gallery.scan(dir);
        try (LocalServer server = LocalServer.start(host, port, "--port", System.err)) {
            gallery.routes(server);
            System.err.println("view: " + gallery.size() + " run" + (gallery.size() == 1 ? "" : "s") + " in " + dir
                    + "; open " + server.url() + " (Ctrl-C ends)");
            Thread.currentThread().join();   // serve until the program is ended
        }
        return 0;
    }
}
