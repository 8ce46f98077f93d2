package dev.pixelgrad.algorithms.cli.live;

import dev.pixelgrad.algorithms.ImageTensors;
import dev.pixelgrad.nn.Preprocessing;
import dev.pixelgrad.tensor.Backends;
import dev.pixelgrad.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The live page itself, in headless Chromium (Debian's {@code chromium} package): it loads, the
 * image updates, the curve draws, pause stops the iterations. Skipped, saying why, where no
 * Chromium is installed.
 */
@Timeout(60)
class LivePageTest {
    @TempDir
    Path profile;

    private LiveView view;
    private Thread loop;
    private final AtomicInteger steps = new AtomicInteger();

    @BeforeEach
    void startARun() {
        Assumptions.assumeTrue(Chromium.find().isPresent(),
                "no chromium on the PATH (Debian: apt-get install chromium); the live page's browser tests need it");
        view = LiveServerTest.start("127.0.0.1", Knobs.weightsAndRate(0.02f));
        loop = new Thread(this::fakeRun, "fake-run");
        loop.setDaemon(true);
        loop.start();
    }

    /** Stands in for an optimisation: the image brightens, the loss falls, as fast as a small real run. */
    private void fakeRun() {
        Tensor x = LiveServerTest.imageWithGradient();
        Tensor brighter = ImageTensors.toNetwork(LiveServerTest.picture(12, 16), Preprocessing.TORCHVISION, Backends.java());
        long t0 = System.nanoTime();
        for (int k = 0; k < 100_000; k++) {
            if (k > 0 && (view.stopRequested() || Thread.currentThread().isInterrupted())) {
                return;
            }
            view.changes(k);
            x.addInPlace(brighter, 0.01f);
            float loss = 1000f / (1 + k);
            view.iteration(k, loss, Map.of("content", loss * 0.3f, "style", loss * 0.7f), x, (System.nanoTime() - t0) / 1e9);
            steps.incrementAndGet();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (view != null) {
            view.run().act("stop");
            loop.join(2000);
            view.close();
        }
    }

    @Test
    void thePageLoadsUpdatesDrawsAndPauses() throws Exception {
        try (Chromium browser = Chromium.launch(Chromium.find().orElseThrow(), profile, 1100, 900)) {
            browser.open(view.server().url().toString());
            browser.waitFor("window.pixelgrad && pixelgrad.hello && pixelgrad.hello.task === 'style'", Duration.ofSeconds(15));
            assertEquals("style", browser.eval("document.getElementById('task').textContent").getAsString());

            // the image updates: several frames, each loaded as a picture
            browser.waitFor("pixelgrad.frames >= 3 && document.getElementById('current').naturalWidth === 16", Duration.ofSeconds(15));
            String first = browser.eval("document.getElementById('current').src").getAsString();
            browser.waitFor("document.getElementById('current').src !== '" + first + "'", Duration.ofSeconds(10));
            browser.waitFor("document.getElementById('gradient').naturalWidth === 16", Duration.ofSeconds(10));
            browser.waitFor("document.querySelectorAll('#references img').length === 2", Duration.ofSeconds(5));

            // the curve draws: points on the canvas, and ink of the total's colour on it
            browser.waitFor("pixelgrad.drawn > 10", Duration.ofSeconds(10));
            int inked = browser.eval("(() => { const c = document.getElementById('curve');"
                    + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
                    + " for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && d[i] < 60 && d[i + 1] < 60) n++; return n; })()").getAsInt();
            assertTrue(inked > 100, "dark curve pixels on the canvas: " + inked);

            // pause stops the iterations; resume starts them again
            browser.eval("document.getElementById('pause').click()");
            Chromium.waitFor(() -> view.run().state() == LiveRun.State.PAUSED, Duration.ofSeconds(5), "pause");
            Thread.sleep(100);
            int paused = steps.get();
            Thread.sleep(400);
            assertEquals(paused, steps.get(), "no iteration while paused");
            browser.waitFor("document.getElementById('state').textContent === 'paused'"
                    + " && document.getElementById('pause').textContent === 'Resume'", Duration.ofSeconds(5));
            browser.eval("document.getElementById('pause').click()");
            Chromium.waitFor(() -> steps.get() > paused, Duration.ofSeconds(5), "resume");

            // a changed weight goes to the run and comes back as a change event
            browser.waitFor("document.getElementById('weight-style') !== null", Duration.ofSeconds(5));
            browser.eval("document.getElementById('weight-style').value = '2'; document.getElementById('apply').click()");
            browser.waitFor("pixelgrad.changes.length === 1 && pixelgrad.changes[0].changed.weights.style === 2", Duration.ofSeconds(5));

            byte[] png = browser.screenshot();
            Files.write(Path.of("target", "live-page.png"), png);   // to look at when this test fails
            assertTrue(png.length > 1000);
        }
    }
}
