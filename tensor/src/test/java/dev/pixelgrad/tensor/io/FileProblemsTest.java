package dev.pixelgrad.tensor.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The reason of a failed file operation, as the JDK's exceptions carry it (or do not). */
class FileProblemsTest {
    @TempDir
    Path dir;

    @Test
    void reasonsAPersonCanActOn() {
        // what UnixException.translateToIOException makes of EACCES, EROFS, ENOSPC, ENOENT, ENOTDIR
        assertEquals("permission denied", FileProblems.reason(new AccessDeniedException("/out/.x.png.tmp3f2a")));
        assertEquals("read-only file system", FileProblems.reason(new FileSystemException("/mnt/x.png", null, "Read-only file system")));
        assertEquals("no space left on device", FileProblems.reason(new FileSystemException("/x.png", null, "No space left on device")));
        assertEquals("no such file or directory", FileProblems.reason(new NoSuchFileException("/nope/x.png")));
        assertEquals("not a directory", FileProblems.reason(new FileSystemException("/f/x.png", null, "Not a directory")));
        assertEquals("I/O error", FileProblems.reason(new FileSystemException("/x.png", null, "I/O error")));
        assertEquals("disk on fire", FileProblems.reason(new IOException("disk on fire")));
    }

    @Test
    void describeNamesTheFileAndTheReason() {
        assertEquals("/out/.x.png.tmp3f2a: permission denied", FileProblems.describe(new AccessDeniedException("/out/.x.png.tmp3f2a")));
        assertEquals("/a -> /b: read-only file system",
                FileProblems.describe(new FileSystemException("/a", "/b", "Read-only file system")));
    }

    /** A real failure: a file where a directory should be. */
    @Test
    void aFileUsedAsADirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        IOException e = assertThrows(IOException.class, () -> Files.createFile(file.resolve("out.png")));
        assertEquals(file.resolve("out.png") + ": not a directory", FileProblems.describe(e));
    }
}
