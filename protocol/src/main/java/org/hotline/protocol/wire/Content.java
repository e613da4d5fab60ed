package org.hotline.protocol.wire;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/** The signed body of an end-to-end message (PROTOCOL.md §4.2): a closed set of content types. */
public sealed interface Content
        permits Content.Signal, Content.Text, Content.LinkTest, Content.LinkTestReply, Content.LogCheckpoint {

    int TYPE_SIGNAL = 1;
    int TYPE_TEXT = 2;
    int TYPE_LINK_TEST = 3;
    int TYPE_LINK_TEST_REPLY = 4;
    // Type 5 is reserved: acknowledgement is a signed receipt (Receipt.Type.ACKNOWLEDGED), not content.
    int TYPE_LOG_CHECKPOINT = 6;

    /** Parameter names are ASCII, so UTF-16 order (Java) and byte order (the spec) agree. */
    java.util.regex.Pattern PARAM_NAME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9]{0,31}");

    int type();

    /** A prefabricated signal: catalog id plus parameter values; the wording comes from the catalog. */
    record Signal(String signalId, SortedMap<String, String> params) implements Content {
        public Signal {
            Objects.requireNonNull(signalId, "signalId");
            params = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(params));
        }

        public static Signal of(String signalId, Map<String, String> params) {
            return new Signal(signalId, new TreeMap<>(params));
        }

        @Override
        public int type() {
            return TYPE_SIGNAL;
        }
    }

    /** Free text typed by the participant. */
    record Text(String text) implements Content {
        public Text {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public int type() {
            return TYPE_TEXT;
        }
    }

    /** An end-to-end link test; the peer's client answers it automatically. */
    record LinkTest(long nonce) implements Content {
        @Override
        public int type() {
            return TYPE_LINK_TEST;
        }
    }

    /** Automatic answer to a {@link LinkTest}; the header's inReplyTo names the test. */
    record LinkTestReply(long nonce) implements Content {
        @Override
        public int type() {
            return TYPE_LINK_TEST_REPLY;
        }
    }

    /**
     * The sender's signed checkpoint of its own audit log (PROTOCOL.md §4.2, §11.2), sent to its
     * channel peers so that each holds proof of how far the sender's log went: the fields of the
     * checkpoint line, with {@code treeSize} standing for both its {@code seq} and {@code treeSize}
     * (always equal). {@code time} is the line's time string exactly as written (it is signed as a
     * string). The signature is checked by the audit package, which owns the checkpoint's signed bytes.
     */
    record LogCheckpoint(String owner, long treeSize, String time, Hash32 prev, Hash32 root, byte[] signature)
            implements Content {
        public LogCheckpoint {
            Names.require(owner, "owner");
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(prev, "prev");
            Objects.requireNonNull(root, "root");
            if (treeSize < 1) {
                throw new IllegalArgumentException("a checkpoint covers at least the log-opened entry");
            }
            if (signature.length != 64) {
                throw new IllegalArgumentException("an Ed25519 signature is 64 bytes");
            }
            signature = signature.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        @Override
        public int type() {
            return TYPE_LOG_CHECKPOINT;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LogCheckpoint c && c.owner.equals(owner) && c.treeSize == treeSize
                    && c.time.equals(time) && c.prev.equals(prev) && c.root.equals(root)
                    && java.util.Arrays.equals(c.signature, signature);
        }

        @Override
        public int hashCode() {
            return Objects.hash(owner, treeSize, time, prev, root, java.util.Arrays.hashCode(signature));
        }

        @Override
        public String toString() {
            return "LogCheckpoint[" + owner + ", " + treeSize + " entries, root " + root + "]";
        }
    }

    static byte[] encode(Content content) {
        WireWriter w = new WireWriter(64);
        w.u8(content.type());
        if (content instanceof Signal s) {
            w.string(s.signalId());
            w.u8(s.params().size());
            s.params().forEach((k, v) -> {
                w.string(k);
                w.string(v);
            });
        } else if (content instanceof Text t) {
            w.longString(t.text());
        } else if (content instanceof LinkTest l) {
            w.u64(l.nonce());
        } else if (content instanceof LinkTestReply l) {
            w.u64(l.nonce());
        } else if (content instanceof LogCheckpoint c) {
            w.string(c.owner());
            w.u64(c.treeSize());
            w.string(c.time());
            w.fixed(c.prev().bytes());
            w.fixed(c.root().bytes());
            w.fixed(c.signature());
        }
        return w.toByteArray();
    }

    static Content decode(byte[] bytes) throws FrameDecodeException {
        WireReader r = new WireReader(bytes);
        int type = r.u8("body.type");
        Content content;
        switch (type) {
            case TYPE_SIGNAL -> {
                String id = r.string(WireLimits.MAX_NAME_BYTES, "body.signalId");
                int n = r.u8("body.params.count");
                if (n > WireLimits.MAX_PARAMS) {
                    throw WireReader.malformed("body.params", "more than " + WireLimits.MAX_PARAMS);
                }
                TreeMap<String, String> params = new TreeMap<>();
                String previous = null;
                for (int i = 0; i < n; i++) {
                    String k = r.string(WireLimits.MAX_NAME_BYTES, "body.params[" + i + "].name");
                    if (!PARAM_NAME.matcher(k).matches()) {
                        throw WireReader.malformed("body.params[" + i + "].name", "not an ASCII parameter name");
                    }
                    if (previous != null && previous.compareTo(k) >= 0) {
                        throw WireReader.malformed("body.params", "names not sorted and unique");
                    }
                    previous = k;
                    params.put(k, r.string(WireLimits.MAX_PARAM_VALUE_BYTES, "body.params[" + i + "].value"));
                }
                content = new Signal(id, params);
            }
            case TYPE_TEXT -> content = new Text(r.longString(WireLimits.MAX_TEXT_BYTES, "body.text"));
            case TYPE_LINK_TEST -> content = new LinkTest(r.u64("body.nonce"));
            case TYPE_LINK_TEST_REPLY -> content = new LinkTestReply(r.u64("body.nonce"));
            case TYPE_LOG_CHECKPOINT -> content = logCheckpoint(r);
            default -> throw WireReader.malformed("body.type", "unknown content type " + type);
        }
        r.expectEnd("message body");
        return content;
    }

    private static LogCheckpoint logCheckpoint(WireReader r) throws FrameDecodeException {
        String owner = Names.read(r, "body.owner");
        long treeSize = r.u64("body.treeSize");
        if (treeSize < 1) {
            throw WireReader.malformed("body.treeSize", "below 1 as a signed 64-bit integer");
        }
        String time = r.string(WireLimits.MAX_NAME_BYTES, "body.time");
        try {
            if (!java.time.Instant.parse(time).toString().equals(time)) {
                throw WireReader.malformed("body.time", "not a canonical UTC time (PROTOCOL.md §11.1)");
            }
        } catch (java.time.format.DateTimeParseException e) {
            throw WireReader.malformed("body.time", "not a UTC time");
        }
        Hash32 prev = Hash32.of(r.fixed(32, "body.prev"));
        Hash32 root = Hash32.of(r.fixed(32, "body.root"));
        byte[] signature = r.fixed(64, "body.signature");
        return new LogCheckpoint(owner, treeSize, time, prev, root, signature);
    }
}
