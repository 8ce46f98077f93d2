package dev.pixelgrad.tensor.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Why a file operation failed, in a few words a person can act on. The JDK names only the path in
 * the message of {@link AccessDeniedException} and friends ("/out/.x.png.tmp3f2a"), and keeps the
 * system's reason ("Read-only file system") in {@link FileSystemException#getReason()}; a message
 * that shows only the path leaves the reader guessing.
 */
public final class FileProblems {
    private FileProblems() {
    }

    /**
     * The reason of {@code e}: {@code permission denied}, {@code read-only file system},
     * {@code no space left on device}, {@code not a directory}, ... (lower case, no path).
     */
    public static String reason(IOException e) {
        if (e instanceof FileSystemException f) {
            String r = f.getReason();
            if (r != null && !r.isBlank()) {
                return lowerFirst(r.trim());
            }
            if (e instanceof AccessDeniedException) {
                return "permission denied";
            }
            if (e instanceof NoSuchFileException) {
                return "no such file or directory";
            }
            if (e instanceof NotDirectoryException) {
                return "not a directory";
            }
            if (e instanceof FileAlreadyExistsException) {
                return "already exists";
            }
            return e.getClass().getSimpleName();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** "FILE: reason" for a file-system error; the plain message for any other I/O error. */
    public static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": " + reason(e);
        }
        return reason(e);
    }

    private static String lowerFirst(String s) {
        // "Read-only file system" -> "read-only file system"; keep acronyms such as "I/O error"
        return s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))
                ? s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1) : s;
    }
}
