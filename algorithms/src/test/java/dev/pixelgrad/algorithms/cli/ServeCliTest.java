package dev.pixelgrad.algorithms.cli;

import dev.pixelgrad.algorithms.cli.CommandLineTest.Printed;
import dev.pixelgrad.algorithms.image.ImageFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.pixelgrad.algorithms.cli.BadInputCliTest.NEVER;
import static dev.pixelgrad.algorithms.cli.BadInputCliTest.TINY;
import static dev.pixelgrad.algorithms.cli.BadInputCliTest.oneLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --serve on the image commands: its options checked, and a run watched, changed and stopped from the page's endpoints. */
@Timeout(60)
class ServeCliTest {
    @TempDir
    static Path dir;
    static Path image;

    @BeforeAll
    static void files() throws IOException {
        image = dir.resolve("content.png");
        ImageFiles.write(CommandLineTest.picture(40, 56, 0), image);
    }

    private static Printed run(VggSource source, String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "--image", image.toString(), "--out", dir.resolve("out.png").toString()));
        if (command.equals("texture")) {
            args.set(1, "--texture");
        }
        args.addAll(List.of(more));
        return BadInputCliTest.run(source, args);
    }
    @Test
    void serveOptionsWithoutServeAreRefused() {
        for (String option : List.of("--serve-every", "--serve-host")) {
            Printed p = run(NEVER, "texture", option, option.equals("--serve-every") ? "2" : "0.0.0.0");
            assertEquals(1, p.rc(), p.err());
            assertTrue(oneLine(p, "texture").contains(option + ": needs --serve"), p.err());
        }
    }

    @Test
    void viewRefusesAFolderThatIsNotThere() {
        Printed p = BadInputCliTest.run(NEVER, List.of("view", dir.resolve("no-such-runs").toString()));
        assertEquals(1, p.rc(), p.err());
        assertTrue(oneLine(p, "view").contains("no-such-runs is not a folder"), p.err());
    }

    @Test
    void aBadPortIsRefusedNamingTheOption() {
        for (String port : List.of("70000", "-1", "http")) {
            Printed p = run(NEVER, "dream", "--serve", port);
            assertEquals(2, p.rc(), p.err());
            String line = oneLine(p, "dream");
            assertTrue(line.contains("--serve") && line.contains("a port from 0 (any free one) to 65535")
                    || line.contains("a whole number, 0 or more"), line);
        }
    }

    @Test
    void aServedRunPrintsItsUrlAndFinishes() throws Exception {
        Path out = dir.resolve("served.png");
        Printed p = BadInputCliTest.run(TINY, List.of("invert", "--image", image.toString(), "--out", out.toString(),
                "--layer", "relu2_1", "--iterations", "3", "--serve", "0"));
        assertEquals(0, p.rc(), p.err());
        assertTrue(p.err().matches("(?s).*invert: watch it at http://127\\.0\\.0\\.1:\\d+/\n.*"), p.err());
        assertTrue(Files.size(out) > 0);
    }

    @Test
    void thePageChangesAWeightThenStopsTheRunWhichWritesTheImage() throws Exception {
        Path out = dir.resolve("stopped.png"), log = dir.resolve("stopped.jsonl");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        AtomicInteger rc = new AtomicInteger(-1);
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        Thread run = new Thread(() -> rc.set(Main.commandLine(TINY).execute("style", "--content", image.toString(),
                "--style", image.toString(), "--out", out.toString(), "--size", "32", "--iterations", "1000000",
                "--optimizer", "adam", "--log", log.toString(), "--serve", "0", "--quiet")));
        try {
            run.start();
            Matcher url = Pattern.compile("watch it at (http://\\S+/)").matcher("");
            for (int i = 0; i < 500 && !url.reset(err.toString(StandardCharsets.UTF_8)).find(); i++) {
                Thread.sleep(20);
            }
            URI base = URI.create(url.group(1));
            HttpClient http = HttpClient.newHttpClient();
            while (Files.notExists(log) || Files.readAllLines(log).size() < 3) {
                Thread.sleep(20);
            }
            assertEquals(200, control(http, base, "{\"set\":{\"weights\":{\"style\":0.5},\"learningRate\":0.01}}").statusCode());
            while (!Files.readString(log).contains("changed")) {
                Thread.sleep(20);
            }
            assertEquals(200, control(http, base, "{\"action\":\"stop\"}").statusCode());
            run.join(20_000);
        } finally {
            System.setErr(old);
        }
        assertEquals(0, rc.get(), err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.size(out) > 0, "stop writes the image, as Ctrl-C does");
        String changed = Files.readAllLines(log).stream().filter(l -> l.contains("changed")).findFirst().orElseThrow();
        assertTrue(changed.matches("\\{\"iter\":\\d+,\"changed\":\\{\"weights\":\\{\"style\":0\\.5},\"learningRate\":0\\.01}}"), changed);
    }

    private static HttpResponse<String> control(HttpClient http, URI base, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve("control")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
