package org.hotline.protocol.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Typed access to one audit entry's fields for {@link AuditCodec}; every failure names the field. */
final class AuditFields {
    private final JsonNode n;

    AuditFields(JsonNode n) {
        this.n = n;
    }

    boolean has(String name) {
        return n.has(name);
    }

    JsonNode required(String name) throws AuditFormatException {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw new AuditFormatException(name, "field \"" + name + "\" is missing");
        }
        return v;
    }

    void absent(String name) throws AuditFormatException {
        if (n.has(name)) {
            throw new AuditFormatException(name, "field \"" + name + "\" is not in the signed message");
        }
    }

    String text(String name) throws AuditFormatException {
        JsonNode v = required(name);
        if (!v.isTextual()) {
            throw new AuditFormatException(name, "field \"" + name + "\" is not a string");
        }
        return v.textValue();
    }

    long natural(String name) throws AuditFormatException {
        JsonNode v = required(name);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            throw new AuditFormatException(name, "field \"" + name + "\" is not a non-negative integer");
        }
        return v.longValue();
    }

    Instant instant(String name) throws AuditFormatException {
        String s = text(name);
        try {
            Instant t = Instant.parse(s);
            if (!t.toString().equals(s)) {
                throw new AuditFormatException(name, "field \"" + name + "\" is not in canonical ISO-8601 UTC form");
            }
            return t;
        } catch (DateTimeParseException ex) {
            throw new AuditFormatException(name, "field \"" + name + "\" is not an ISO-8601 UTC time");
        }
    }

    byte[] hex32(String name) throws AuditFormatException {
        return hex32(name, text(name));
    }

    static byte[] hex32(String name, String s) throws AuditFormatException {
        if (s.length() != 64 || !s.equals(s.toLowerCase(java.util.Locale.ROOT))) {
            throw new AuditFormatException(name, "field \"" + name + "\" is not 64 lowercase hex digits");
        }
        try {
            return HexFormat.of().parseHex(s);
        } catch (IllegalArgumentException ex) {
            throw new AuditFormatException(name, "field \"" + name + "\" is not 64 lowercase hex digits");
        }
    }

    byte[] base64(String name) throws AuditFormatException {
        try {
            return Base64.getDecoder().decode(text(name));
        } catch (IllegalArgumentException ex) {
            throw new AuditFormatException(name, "field \"" + name + "\" is not base64");
        }
    }

    JsonNode array(String name) throws AuditFormatException {
        JsonNode v = required(name);
        if (!v.isArray()) {
            throw new AuditFormatException(name, "field \"" + name + "\" is not an array");
        }
        return v;
    }

    List<String> texts(String name) throws AuditFormatException {
        List<String> out = new ArrayList<>();
        for (JsonNode x : array(name)) {
            if (!x.isTextual()) {
                throw new AuditFormatException(name, "field \"" + name + "\" holds a non-string");
            }
            out.add(x.textValue());
        }
        return out;
    }

    Map<String, String> params(String name) throws AuditFormatException {
        JsonNode v = required(name);
        if (!v.isObject()) {
            throw new AuditFormatException(name, "field \"" + name + "\" is not an object");
        }
        Map<String, String> out = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new AuditFormatException(name, "parameter \"" + e.getKey() + "\" is not a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
        return out;
    }

    /** A displayed copy must equal what the signed bytes say. */
    void same(String name, Object signed, Object logged) throws AuditFormatException {
        if (!signed.equals(logged)) {
            // The logged value is not repeated: it may be the very words a forger wanted shown.
            throw new AuditFormatException(name, "field \"" + name + "\" differs from the signed bytes in the same line");
        }
    }
}
