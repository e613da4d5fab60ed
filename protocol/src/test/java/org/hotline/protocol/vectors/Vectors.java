package org.hotline.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HexFormat;

/** Where the vector files live and how they are read and written. */
final class Vectors {

    static final String RESOURCE_DIR = "/org/hotline/protocol/vectors/";
    static final Path SOURCE_DIR = Path.of("src/test/resources/org/hotline/protocol/vectors");
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    static final HexFormat HEX = HexFormat.of();

    private Vectors() {
    }

    static JsonNode load(String name) throws IOException {
        try (InputStream in = Vectors.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new IOException("vector file missing: " + name);
            }
            return JSON.readTree(in);
        }
    }

    static byte[] hex(JsonNode node, String field) {
        return HEX.parseHex(node.get(field).asText());
    }
}
