package dev.pixelgrad.algorithms.cli.live;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Not a test: takes the README's screenshot of a live page in headless Chromium, when asked to.
 * Start a run with --serve, then
 * <pre>
 * mvn -o -q test -pl algorithms -am -Dtest=ScreenshotTool -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dpixelgrad.screenshot.url=http://127.0.0.1:PORT/ -Dpixelgrad.screenshot=/abs/path/live.png
 * </pre>
 */
class ScreenshotTool {
    @TempDir
    Path profile;

    @Test
    @EnabledIfSystemProperty(named = "pixelgrad.screenshot.url", matches = ".+")
    void screenshot() throws Exception {
        try (Chromium browser = Chromium.launch(Chromium.find().orElseThrow(), profile, 1060, 680)) {
            browser.viewport(960, 450);
            browser.open(System.getProperty("pixelgrad.screenshot.url"));
            browser.waitFor("window.pixelgrad && pixelgrad.frames >= 3 && pixelgrad.drawn > 20"
                    + " && document.getElementById('gradient').naturalWidth > 0", Duration.ofSeconds(30));
            Thread.sleep(Long.getLong("pixelgrad.screenshot.wait", 3000));
            Files.write(Path.of(System.getProperty("pixelgrad.screenshot")), browser.screenshot());
        }
    }
}
