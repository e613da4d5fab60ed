package org.hotline.client.core.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.hotline.protocol.files.OwnerOnlyFiles;

/**
 * One process per client data directory: two processes appending to one {@code audit.jsonl}
 * interleave their sequence numbers (the verifier then reports a removed or moved line) and take
 * the relay connection from each other. The lock is an operating-system lock on
 * {@code <dataDir>/hotline.lock}, released when the process ends however it ends; the file names
 * the holder (pid and command) so the second process can say who it is.
 */
public final class DataDirectoryLock implements AutoCloseable {

    /** The lock file's name inside the data directory. */
    public static final String FILE = "hotline.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another process, or another client in this process, holds the directory. */
    public static final class InUseException extends IOException {
        private static final long serialVersionUID = 1L;

        InUseException(String message) {
            super(message);
        }
    }

    /**
     * Takes the lock of {@code dataDir} (creating it owner-only if needed) and writes this
     * process's pid and command into it.
     *
     * @throws InUseException naming the holder, when the directory is already in use
     * @throws IOException    if the lock file cannot be created or written
     */
    public static DataDirectoryLock acquire(Path dataDir) throws IOException {
        Path file = OwnerOnlyFiles.file(dataDir.resolve(FILE));
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            ch.close();
            throw new InUseException(inUse(dataDir, holder(file)));
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            ch.close();
            throw new InUseException(inUse(dataDir, holder(file)));
        }
        try {
            byte[] me = (describe(ProcessHandle.current()) + "\n").getBytes(StandardCharsets.UTF_8);
            ch.truncate(0);
            ByteBuffer b = ByteBuffer.wrap(me);
            while (b.hasRemaining()) {
                ch.write(b, b.position());
            }
            ch.force(false);
        } catch (IOException e) {
            lock.release();
            ch.close();
            throw e;
        }
        return new DataDirectoryLock(ch, lock);
    }

    private static String inUse(Path dataDir, String holder) {
        return "data directory " + dataDir + " is in use by " + holder + ": one process per role and data "
                + "directory (to send and listen at once, use 'hotline session')";
    }

    /** What the holder wrote: "pid 1234 (hotline listen --as pk.pm ...)"; a placeholder if unreadable. */
    private static String holder(Path file) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).strip();
            // The holder's own words, but on one line and without control characters.
            s = s.replaceAll("\\p{Cntrl}", " ");
            return s.isEmpty() ? "another process (it has not written its pid yet)" : s;
        } catch (IOException e) {
            return "another process";
        }
    }

    /** "pid 1234 (hotline listen --exercise x --as pk.pm)": the hotline part of the command line. */
    static String describe(ProcessHandle p) {
        // The JVM's own record of its main class (or jar) and arguments; the OS's command line as a fallback.
        String command = System.getProperty("sun.java.command", "");
        if (command.isBlank()) {
            command = p.info().commandLine().orElse(p.info().command().orElse("unknown command"));
        }
        java.util.regex.Matcher m = HOTLINE.matcher(command);
        if (m.find()) {
            command = "hotline" + command.substring(m.end());
        }
        return "pid " + p.pid() + " (" + (command.length() > 200 ? command.substring(0, 199) + "\u2026" : command) + ")";
    }

    /** The main class or jar of the hotline command, up to its arguments. */
    private static final java.util.regex.Pattern HOTLINE = java.util.regex.Pattern.compile(
            "\\S*(?:HotlineMain|hotline\\.jar)(?=\\s|$)");

    /** Releases the lock; the file stays (the next holder overwrites it). Idempotent. */
    @Override
    public synchronized void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            // Closing the channel releases the lock in any case; nothing more can be done.
        }
    }
}
