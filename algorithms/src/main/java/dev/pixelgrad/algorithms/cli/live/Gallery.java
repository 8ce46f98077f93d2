package dev.pixelgrad.algorithms.cli.live;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Past runs in a folder, for {@code pixelgrad view}: each run's images (the result, the
 * {@code --save-every} checkpoints {@code OUT-iterN.EXT} as a sequence, the {@code --plot} curve)
 * and its {@code --log} (JSON lines), grouped by name: {@code cat.png}, {@code cat-iter50.png} and
 * {@code cat.jsonl} are one run. The folder and its sub-folders (two levels) are read once, at the
 * start; only the files found then are served, each by its number, so no request names a path.
 */
public final class Gallery {
    /** Logs larger than this are left out (a run logs about 100 bytes an iteration). */
    static final long MAX_LOG_BYTES = 64L << 20;
    private static final Pattern CHECKPOINT = Pattern.compile("(.+)-iter(\\d+)\\.(png|jpe?g)");
    private static final Pattern PLOT = Pattern.compile("(.+)-loss\\.png");
    private static final Pattern IMAGE = Pattern.compile("(.+)\\.(png|jpe?g)");
    private static final Pattern LOG = Pattern.compile("(.+)\\.(jsonl|ndjson|log|json)");

    private final List<Path> files = new ArrayList<>();
    private final JsonArray runs = new JsonArray();

    private Gallery() {
    }

    /** Reads the folder: every run's images and log. */
    public static Gallery scan(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a folder; give the folder a run wrote its --out and --log into");
        }
        Map<String, JsonObject> byName = new TreeMap<>();
        Gallery g = new Gallery();
        List<Path> found;
        try (Stream<Path> s = Files.walk(dir, 2)) {   // Files.walk does not follow links: nothing outside DIR
            found = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().toList();
        }
        for (Path p : found) {
            String rel = dir.relativize(p).toString().replace('\\', '/');
            String lower = rel.toLowerCase(Locale.ROOT);
            Matcher m;
            if ((m = CHECKPOINT.matcher(lower)).matches()) {
                JsonObject c = new JsonObject();
                c.addProperty("iter", Integer.parseInt(m.group(2)));
                c.addProperty("file", g.serve(p));
                run(byName, rel.substring(0, m.end(1))).getAsJsonArray("checkpoints").add(c);
            } else if ((m = PLOT.matcher(lower)).matches()) {
                run(byName, rel.substring(0, m.end(1))).addProperty("plot", g.serve(p));
            } else if ((m = IMAGE.matcher(lower)).matches()) {
                run(byName, rel.substring(0, m.end(1))).addProperty("image", g.serve(p));
            } else if ((m = LOG.matcher(lower)).matches() && Files.size(p) <= MAX_LOG_BYTES) {
                JsonArray steps = new JsonArray(), changes = new JsonArray();
                if (readLog(p, steps, changes)) {
                    JsonObject r = run(byName, rel.substring(0, m.end(1)));
                    r.add("steps", steps);
                    r.add("changes", changes);
                    r.addProperty("log", rel);
                }
            }
        }
        for (JsonObject r : byName.values()) {
            JsonArray cps = r.getAsJsonArray("checkpoints");
            List<JsonElement> sorted = new ArrayList<>(cps.asList());
            sorted.sort((a, b) -> Integer.compare(a.getAsJsonObject().get("iter").getAsInt(), b.getAsJsonObject().get("iter").getAsInt()));
            r.add("checkpoints", new JsonArray());
            sorted.forEach(r.getAsJsonArray("checkpoints")::add);
            g.runs.add(r);
        }
        return g;
    }

    private static JsonObject run(Map<String, JsonObject> byName, String name) {
        return byName.computeIfAbsent(name, n -> {
            JsonObject r = new JsonObject();
            r.addProperty("name", n);
            r.add("checkpoints", new JsonArray());
            return r;
        });
    }

    /**
     * Reads a --log: {@code {"iter", "loss", "seconds", term...}} lines into steps ({iter, loss,
     * terms}), {@code {"iter", "changed"}} lines into changes. Returns false when the file is not
     * such a log (its first line is not a JSON object with an iteration).
     */
    static boolean readLog(Path file, JsonArray steps, JsonArray changes) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject o;
                try {
                    JsonElement e = JsonParser.parseString(line);
                    if (!e.isJsonObject() || !e.getAsJsonObject().has("iter")) {
                        return steps.size() + changes.size() > 0;
                    }
                    o = e.getAsJsonObject();
                } catch (JsonSyntaxException notALog) {
                    return steps.size() + changes.size() > 0;
                }
                if (o.has("changed")) {
                    changes.add(o);
                } else if (o.has("loss")) {
                    JsonObject step = new JsonObject(), terms = new JsonObject();
                    for (Map.Entry<String, JsonElement> e : o.entrySet()) {
                        switch (e.getKey()) {
                            case "iter", "loss", "seconds" -> step.add(e.getKey(), e.getValue());
                            default -> terms.add(e.getKey(), e.getValue());
                        }
                    }
                    step.add("terms", terms);
                    steps.add(step);
                }
            }
        }
        return steps.size() + changes.size() > 0;
    }

    private int serve(Path p) {
        files.add(p);
        return files.size() - 1;
    }

    /** How many runs were found. */
    public int size() {
        return runs.size();
    }

    /** Serves the gallery: the page, runs.json, and each file found by its number ({@code /file/N}). */
    public void routes(LocalServer server) {
        byte[] json = LiveRun.GSON.toJson(runs).getBytes(StandardCharsets.UTF_8);
        server.asset("/", "view.html", "text/html; charset=utf-8")
                .asset("/view.js", "view.js", "text/javascript; charset=utf-8")
                .asset("/plot.js", "plot.js", "text/javascript; charset=utf-8")
                .asset("/live.css", "live.css", "text/css; charset=utf-8")
                .route("/runs.json", ex -> {
                    if (LocalServer.method(ex, "GET")) {
                        LocalServer.send(ex, 200, "application/json; charset=utf-8", json);
                    }
                });
        for (int i = 0; i < files.size(); i++) {
            Path p = files.get(i);
            String type = p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png") ? "image/png" : "image/jpeg";
            server.route("/file/" + i, ex -> {
                if (LocalServer.method(ex, "GET")) {
                    LocalServer.send(ex, 200, type, Files.readAllBytes(p));
                }
            });
        }
    }
}
