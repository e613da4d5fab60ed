package org.hotline.protocol.files;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories 0700 and files 0600 for everything a client or the relay writes (audit logs,
 * SQLite stores and their {@code -wal}/{@code -shm} files), whatever the process umask
 * (THREAT_MODEL.md §8): the client's files hold decrypted plaintext, the relay's the metadata of
 * every message.
 *
 * <p>Modes are given explicitly at creation and set again afterwards, because creation modes are
 * masked by the umask. SQLite creates its {@code -wal} and {@code -shm} files itself, with the
 * mode of the database file, so the database file is created 0600 before SQLite opens it and the
 * other two are set after opening; between their creation and that call only the 0700 directory
 * keeps other users out, which is why the directory mode is the real guard. On a file system
 * without POSIX permissions nothing is changed.
 */
public final class OwnerOnlyFiles {

    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    /**
     * Creates {@code dir} (and missing parents) owner-only. A directory that already exists keeps
     * its mode: it may be shared on purpose (a user passing {@code /tmp}); the files in it are
     * owner-only anyway.
     */
    public static Path directory(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return dir;
        }
        if (abs.getParent() != null) {
            directory(abs.getParent());
        }
        try {
            if (posix(abs.getParent())) {
                Files.createDirectory(abs, PosixFilePermissions.asFileAttribute(DIRECTORY));
                Files.setPosixFilePermissions(abs, DIRECTORY);
            } else {
                Files.createDirectory(abs);
            }
        } catch (FileAlreadyExistsException raced) {
            if (!Files.isDirectory(abs)) {
                throw raced;
            }
        }
        return dir;
    }

    /** Creates {@code file} empty and owner-only if it does not exist; makes it owner-only if it does. */
    public static Path file(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        directory(abs.getParent());
        boolean posix = posix(abs.getParent());
        try {
            if (posix) {
                Files.createFile(abs, PosixFilePermissions.asFileAttribute(FILE));
            } else {
                Files.createFile(abs);
            }
        } catch (FileAlreadyExistsException exists) {
            // An existing file (perhaps from a version that left it 0644) is tightened below.
        }
        if (posix) {
            Files.setPosixFilePermissions(abs, FILE);
        }
        return file;
    }

    /** Makes {@code file} owner-only if it exists (for files another library created). */
    public static void restrictIfPresent(Path file) throws IOException {
        if (Files.exists(file) && posix(file.toAbsolutePath().getParent())) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    private static boolean posix(Path dir) throws IOException {
        return dir != null && Files.getFileStore(dir).supportsFileAttributeView("posix");
    }
}
