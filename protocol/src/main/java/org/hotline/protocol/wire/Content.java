package org.hotline.protocol.wire;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/** The signed body of an end-to-end message (PROTOCOL.md §4.2): a closed set of content types. */
public sealed interface Content
        permits Content.Signal, Content.Text, Content.LinkTest, Content.LinkTestReply {

    int TYPE_SIGNAL = 1;
    int TYPE_TEXT = 2;
    int TYPE_LINK_TEST = 3;
    int TYPE_LINK_TEST_REPLY = 4;
    // Type 5 is reserved: acknowledgement is a signed receipt (Receipt.Type.ACKNOWLEDGED), not content.

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
            default -> throw WireReader.malformed("body.type", "unknown content type " + type);
        }
        r.expectEnd("message body");
        return content;
    }
}
