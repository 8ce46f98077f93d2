package dev.pixelgrad.algorithms.cli.live;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.pixelgrad.algorithms.Changes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The state of one run as the live page sees it, shared by the compute thread and the server's
 * threads (every method is synchronized on this object; waiting threads are woken by notifyAll):
 * <ul>
 * <li>an event log, numbered from 0: {@code step} (iter, loss, each term, seconds), {@code change}
 *     (what changed and the iteration it took effect at) and {@code state}; a page that reconnects
 *     asks for the events after the last it saw, so it picks up where the run is;</li>
 * <li>the run's state (running, paused, stopping, done) and the changes asked for but not yet
 *     taken by the loop;</li>
 * <li>the newest encoded frame (the current image and its gradient), kept outside the log: a page
 *     only ever wants the latest one.</li>
 * </ul>
 */
public final class LiveRun {
    public enum State { RUNNING, PAUSED, STOPPING, DONE }

    /** One entry of the log; {@code data} is JSON. */
    public record Event(long id, String type, String data) {
    }

    /** What a waiting page receives: events after the one it saw, and a newer frame, or null. */
    record Batch(List<Event> events, FrameEncoder.Frame frame, boolean finished) {
    }

    static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().create();

    private final JsonObject hello;
    private final Knobs knobs;
    private final int maxViewers;
    private final List<Event> log = new ArrayList<>();
    private State state = State.RUNNING;
    private final Map<String, Float> pendingFactors = new LinkedHashMap<>();
    private Float pendingRate;
    private String pendingLayers;
    private FrameEncoder.Frame frame;
    private int viewers;

    /**
     * @param task       the command (dream, invert, ...)
     * @param total      iterations expected
     * @param knobs      what the page may change
     * @param references names of the still images the page shows beside the run (start, content, style, ...)
     * @param maxViewers how many pages may watch at once
     */
    public LiveRun(String task, int total, Knobs knobs, List<String> references, int maxViewers) {
        this.knobs = knobs;
        this.maxViewers = maxViewers;
        hello = new JsonObject();
        hello.addProperty("task", task);
        hello.addProperty("total", total);
        JsonObject k = new JsonObject();
        k.addProperty("termWeights", knobs.termWeights());
        if (knobs.learningRate() != null) {
            k.addProperty("learningRate", knobs.learningRate());
            k.addProperty("learningRateLabel", knobs.learningRateLabel());
        }
        if (knobs.layers() != null) {
            k.addProperty("layers", knobs.layers());
        }
        hello.add("knobs", k);
        hello.add("references", GSON.toJsonTree(references));
    }

    // ---- the compute thread ----

    /** Logs one iteration: its loss, the weighted terms by name, and seconds since the start. */
    public synchronized void step(int iter, float loss, Map<String, Float> terms, double seconds) {
        JsonObject o = new JsonObject();
        o.addProperty("iter", iter);
        o.addProperty("loss", loss);
        o.addProperty("seconds", Math.round(seconds * 1000) / 1000.0);
        JsonObject t = new JsonObject();
        terms.forEach(t::addProperty);
        o.add("terms", t);
        append("step", o);
    }

    /** Blocks while the run is paused; returns whether the page asked to stop. */
    public synchronized boolean awaitRunning() {
        while (state == State.PAUSED) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
        return state == State.STOPPING;
    }

    /** The changes asked for since the last call (null: none), logged as taking effect at {@code iter}. */
    public synchronized Changes takeChanges(int iter) {
        if (pendingFactors.isEmpty() && pendingRate == null && pendingLayers == null) {
            return null;
        }
        Changes c = new Changes(pendingFactors.isEmpty() ? null : new LinkedHashMap<>(pendingFactors), pendingRate, pendingLayers);
        pendingFactors.clear();
        pendingRate = null;
        pendingLayers = null;
        JsonObject o = new JsonObject();
        o.addProperty("iter", iter);
        o.add("changed", changedJson(c));
        append("change", o);
        return c;
    }

    /** The changes as the log writes them: {"style": 2, "learningRate": 0.01, "layers": "relu5_1"}. */
    public static JsonObject changedJson(Changes c) {
        JsonObject o = new JsonObject();
        if (c.termFactors() != null) {
            JsonObject f = new JsonObject();
            c.termFactors().forEach(f::addProperty);
            o.add("weights", f);
        }
        if (c.learningRate() != null) {
            o.addProperty("learningRate", c.learningRate());
        }
        if (c.layers() != null) {
            o.addProperty("layers", c.layers());
        }
        return o;
    }

    /** The run has ended (done or stopped): pages are told, and their streams end. */
    public synchronized void done(String how) {
        if (state != State.DONE) {
            state = State.DONE;
            JsonObject o = new JsonObject();
            o.addProperty("state", "done");
            o.addProperty("how", how);
            append("state", o);
        }
    }

    synchronized void publish(FrameEncoder.Frame f) {
        frame = f;
        notifyAll();
    }

    /** Whether a page is watching: frames are encoded only then. */
    public synchronized boolean watched() {
        return viewers > 0;
    }

    // ---- the server's threads ----

    public synchronized State state() {
        return state;
    }

    /** Pause, resume or stop; returns null, or why the action cannot be done now. */
    public synchronized String act(String action) {
        if (state == State.DONE || state == State.STOPPING) {
            return "the run is " + state.name().toLowerCase(Locale.ROOT);
        }
        State next = switch (action) {
            case "pause" -> State.PAUSED;
            case "resume" -> State.RUNNING;
            case "stop" -> State.STOPPING;
            default -> null;
        };
        if (next == null) {
            return "action: expected pause, resume or stop, got '" + action + "'";
        }
        if (next != state) {
            state = next;
            JsonObject o = new JsonObject();
            o.addProperty("state", state.name().toLowerCase(Locale.ROOT));
            append("state", o);
        }
        return null;
    }

    /**
     * Asks for settings to change before the next step: {@code {"weights": {"style": 2}, "learningRate": 0.01,
     * "layers": "relu5_1"}}. Returns null, or what is wrong (nothing is taken then).
     */
    public synchronized String request(JsonObject set) {
        if (state == State.DONE || state == State.STOPPING) {
            return "the run is " + state.name().toLowerCase(Locale.ROOT);
        }
        Map<String, Float> factors = new LinkedHashMap<>();
        Float rate = null;
        String layers = null;
        for (Map.Entry<String, JsonElement> e : set.entrySet()) {
            switch (e.getKey()) {
                case "weights" -> {
                    if (!knobs.termWeights()) {
                        return "weights: this run has no loss weights to change";
                    }
                    if (!e.getValue().isJsonObject()) {
                        return "weights: expected an object of term: factor, e.g. {\"style\": 2}";
                    }
                    for (Map.Entry<String, JsonElement> w : e.getValue().getAsJsonObject().entrySet()) {
                        Float f = number(w.getValue());
                        if (f == null || f < 0 || f > 1e6f) {
                            return "weights." + w.getKey() + ": expected a factor from 0 to 1e6, got " + w.getValue();
                        }
                        factors.put(w.getKey(), f);
                    }
                }
                case "learningRate" -> {
                    if (knobs.learningRate() == null) {
                        return "learningRate: this run has no step to change (L-BFGS finds its own)";
                    }
                    rate = number(e.getValue());
                    if (rate == null || !(rate > 0) || rate > 1e3f) {
                        return "learningRate: expected a number above 0 (and at most 1000), got " + e.getValue();
                    }
                }
                case "layers" -> {
                    if (knobs.checkLayers() == null) {
                        return "layers: this run's layers cannot change";
                    }
                    if (!e.getValue().isJsonPrimitive()) {
                        return "layers: expected a layer list such as \"relu4_2\" or \"relu4_2:1,relu5_1:0.5\"";
                    }
                    try {
                        layers = knobs.checkLayers().apply(e.getValue().getAsString());
                    } catch (IllegalArgumentException bad) {
                        return "layers: " + bad.getMessage();
                    }
                }
                default -> {
                    return e.getKey() + ": cannot be changed; expected weights, learningRate or layers";
                }
            }
        }
        pendingFactors.putAll(factors);
        pendingRate = rate != null ? rate : pendingRate;
        pendingLayers = layers != null ? layers : pendingLayers;
        return null;
    }

    private static Float number(JsonElement e) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            return null;
        }
        float f = e.getAsFloat();
        return Float.isFinite(f) ? f : null;
    }

    /** The first event a page receives: the run's name, length, knobs, still images, and state. */
    synchronized String hello() {
        JsonObject o = hello.deepCopy();
        o.addProperty("state", state.name().toLowerCase(Locale.ROOT));
        return GSON.toJson(o);
    }

    /** Lets a page in, unless {@code maxViewers} already watch. */
    synchronized boolean admit() {
        if (viewers >= maxViewers) {
            return false;
        }
        viewers++;
        return true;
    }

    synchronized void leave() {
        viewers--;
        notifyAll();
    }

    /** Waits up to {@code millis} for every page's stream to end (after {@link #done}, they end by themselves). */
    synchronized void awaitNoViewers(long millis) {
        long deadline = System.currentTimeMillis() + millis;
        try {
            for (long left = millis; viewers > 0 && left > 0; left = deadline - System.currentTimeMillis()) {
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for events after {@code after} or a frame newer than
     * {@code frameSeen}; returns what there is (possibly nothing, when the wait timed out).
     */
    synchronized Batch await(long after, int frameSeen, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (log.size() - 1 <= after && !newer(frameSeen) && state != State.DONE) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        int from = (int) Math.max(0, Math.min(after + 1, log.size()));
        List<Event> events = List.copyOf(log.subList(from, log.size()));
        return new Batch(events, newer(frameSeen) ? frame : null, state == State.DONE);
    }

    private boolean newer(int frameSeen) {
        return frame != null && frame.version() > frameSeen;
    }

    synchronized FrameEncoder.Frame frame() {
        return frame;
    }

    private void append(String type, JsonObject data) {
        log.add(new Event(log.size(), type, GSON.toJson(data)));
        notifyAll();
    }
}
