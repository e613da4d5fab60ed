package org.hotline.client.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.hotline.protocol.files.OwnerOnlyFiles;

/**
 * A small JSON state file in control's data directory, replaced atomically (written beside it, then
 * moved over it), so a crash leaves either the old or the new state, never half of one.
 */
final class StateFile {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    StateFile(Path file) {
        this.file = file;
    }

    Optional<JsonNode> read() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readTree(Files.readString(file)));
    }

    void write(JsonNode state) throws IOException {
        OwnerOnlyFiles.directory(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(state) + "\n");
        OwnerOnlyFiles.file(tmp);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    Path path() {
        return file;
    }
}
