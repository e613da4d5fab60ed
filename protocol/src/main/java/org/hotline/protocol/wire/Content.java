package org.hotline.protocol.wire;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/** The signed body of an end-to-end message (PROTOCOL.md §4.2): a closed set of content types. */
public sealed interface Content
        permits Content.Signal, Content.Text, Content.LinkTest, Content.LinkTestReply, Content.LogCheckpoint,
        Content.RelayCheckpoints, Content.Inject, Content.ExerciseClock, Content.Reading {

    int TYPE_SIGNAL = 1;
    int TYPE_TEXT = 2;
    int TYPE_LINK_TEST = 3;
    int TYPE_LINK_TEST_REPLY = 4;
    // Type 5 is reserved: acknowledgement is a signed receipt (Receipt.Type.ACKNOWLEDGED), not content.
    int TYPE_LOG_CHECKPOINT = 6;
    /** The sender's newest verified checkpoint of each relay's log, for split-view detection. */
    int TYPE_RELAY_CHECKPOINTS = 7;
    /** Relay checkpoints in one RelayCheckpoints body (1..8): at most one per relay of the exercise. */
    int MAX_RELAY_CHECKPOINTS = 8;
    /** A recipient's signed reading of a message, sealed to exercise control only. */
    int TYPE_READING = 8;
    // 0x10..0x1F: exercise control. Receivers accept these only from the exercise's control role.
    int TYPE_INJECT = 0x10;
    int TYPE_EXERCISE_CLOCK = 0x11;
    /** Bytes of an inject title (UTF-8). */
    int MAX_INJECT_TITLE_BYTES = 512;
    /** Speed of the exercise clock in thousandths: 1x .. 1000x. */
    int MAX_SPEED_PERMILLE = 1_000_000;

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

    /**
     * Free text typed by the participant, with the intent the sender chose for it. Messages from
     * before intents were signed have none (PROTOCOL.md §4.2).
     */
    record Text(String text, java.util.Optional<Intent> intent) implements Content {
        public Text {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(intent, "intent");
        }

        /** Free text without a stated intent: how every Text was encoded before the field existed. */
        public Text(String text) {
            this(text, java.util.Optional.empty());
        }

        public Text(String text, Intent intent) {
            this(text, java.util.Optional.of(intent));
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

    /**
     * The sender's newest verified checkpoint of each relay's log (PROTOCOL.md §4.2,
     * RelayCheckpoints 0x07): a relay that shows this client one history and its peer another is
     * caught when each checks the other's checkpoint against its own. Each entry is the relay's name
     * and its signed note exactly as the relay sent it (PROTOCOL.md §12.2); the note's signature is
     * checked by the receiver, which holds the relay's certificate. Relay names strictly ascending,
     * so the body has one encoding.
     */
    record RelayCheckpoints(List<RelayNote> notes) implements Content {
        public RelayCheckpoints {
            notes = List.copyOf(notes);
            if (notes.isEmpty() || notes.size() > MAX_RELAY_CHECKPOINTS) {
                throw new IllegalArgumentException("1.." + MAX_RELAY_CHECKPOINTS + " relay checkpoints");
            }
            for (int i = 1; i < notes.size(); i++) {
                if (notes.get(i - 1).relay().compareTo(notes.get(i).relay()) >= 0) {
                    throw new IllegalArgumentException("relay names not sorted and unique");
                }
            }
        }

        @Override
        public int type() {
            return TYPE_RELAY_CHECKPOINTS;
        }

        @Override
        public String toString() {
            return "RelayCheckpoints" + notes.stream().map(RelayNote::relay).toList();
        }
    }

    /** One relay's signed checkpoint note (PROTOCOL.md §12.2) in a {@link RelayCheckpoints} body. */
    record RelayNote(String relay, byte[] note) {
        public RelayNote {
            if (!Receipt.isRelayName(relay)) {
                throw new IllegalArgumentException("not a relay name: " + relay);
            }
            if (note.length < 1 || note.length > WireLimits.MAX_CHECKPOINT_BYTES) {
                throw new IllegalArgumentException("a checkpoint note is 1.." + WireLimits.MAX_CHECKPOINT_BYTES + " bytes");
            }
            note = note.clone();
        }

        @Override
        public byte[] note() {
            return note.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RelayNote n && n.relay.equals(relay) && java.util.Arrays.equals(n.note, note);
        }

        @Override
        public int hashCode() {
            return relay.hashCode() * 31 + java.util.Arrays.hashCode(note);
        }

        @Override
        public String toString() {
            return "RelayNote[" + relay + ", " + note.length + " bytes]";
        }
    }

    /**
     * How a recipient read a message, signed by the reader (PROTOCOL.md §4.2, Reading 0x08): the
     * same bytes are kept in the reader's audit log and, when the exercise has control, sent to
     * control alone on the reader's channel with it. The signature is over
     * {@link ReadingFields#toBeSigned()} under context {@code hotline/v2 reading}; the crypto package
     * checks it.
     */
    record Reading(ReadingFields fields, byte[] signature) implements Content {
        public Reading {
            Objects.requireNonNull(fields, "fields");
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
            return TYPE_READING;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Reading r && r.fields.equals(fields) && java.util.Arrays.equals(r.signature, signature);
        }

        @Override
        public int hashCode() {
            return fields.hashCode() * 31 + java.util.Arrays.hashCode(signature);
        }

        @Override
        public String toString() {
            return "Reading[" + fields.reader() + " read " + fields.messageId().shortForm() + " as "
                    + fields.readAs().label() + "]";
        }
    }

    /** The kinds of inject of a Master Scenario Events List, with their wire codes (PROTOCOL.md §4.2). */
    enum InjectKind {
        NEWS(1, "news"), INTELLIGENCE(2, "intelligence"), SITUATION(3, "situation"), MEDIA(4, "media"),
        INSTRUCTION(5, "instruction"), THIRD_PARTY(6, "third-party");

        private final int code;
        private final String label;

        InjectKind(int code, String label) {
            this.code = code;
            this.label = label;
        }

        public int code() {
            return code;
        }

        /** The name in MSEL files, audit logs and {@code listen --json}. */
        public String label() {
            return label;
        }

        public static java.util.Optional<InjectKind> ofCode(int code) {
            return java.util.Arrays.stream(values()).filter(k -> k.code == code).findFirst();
        }

        public static java.util.Optional<InjectKind> ofLabel(String label) {
            return java.util.Arrays.stream(values()).filter(k -> k.label.equals(label)).findFirst();
        }
    }

    /**
     * A scenario event sent by exercise control (PROTOCOL.md §4.2): an item of the Master Scenario
     * Events List ({@code injectId}), at scenario time {@code scenarioTime}, with its kind, title
     * and words. Only the exercise's control role may sign one; receivers check.
     */
    record Inject(String injectId, InjectKind kind, java.time.Instant scenarioTime, String title, String text)
            implements Content {
        public Inject {
            Objects.requireNonNull(injectId, "injectId");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(scenarioTime, "scenarioTime");
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(text, "text");
            if (injectId.isEmpty()) {
                throw new IllegalArgumentException("an inject needs an id");
            }
            scenarioTime = java.time.Instant.ofEpochMilli(scenarioTime.toEpochMilli());
        }

        @Override
        public int type() {
            return TYPE_INJECT;
        }
    }

    /** What a clock message does. */
    enum ClockAction {
        START(1), PAUSE(2), RESUME(3), SPEED(4);

        private final int code;

        ClockAction(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static java.util.Optional<ClockAction> ofCode(int code) {
            return java.util.Arrays.stream(values()).filter(a -> a.code == code).findFirst();
        }
    }

    /**
     * The exercise clock as control set it (PROTOCOL.md §4.2): at the header's {@code sentAt} the
     * scenario time was {@code scenarioTime}; while {@code running} it advances at
     * {@code speedPermille}/1000 of real time, otherwise it stands still.
     */
    record ExerciseClock(ClockAction action, java.time.Instant scenarioTime, int speedPermille, boolean running)
            implements Content {
        public ExerciseClock {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(scenarioTime, "scenarioTime");
            if (speedPermille < 1 || speedPermille > MAX_SPEED_PERMILLE) {
                throw new IllegalArgumentException("speed must be 0.001x .. 1000x");
            }
            scenarioTime = java.time.Instant.ofEpochMilli(scenarioTime.toEpochMilli());
        }

        /** Scenario time at real time {@code now}, for a clock message sent at {@code sentAt}. */
        public java.time.Instant scenarioAt(java.time.Instant sentAt, java.time.Instant now) {
            if (!running) {
                return scenarioTime;
            }
            long elapsed = Math.max(0, now.toEpochMilli() - sentAt.toEpochMilli());
            return scenarioTime.plusMillis(Math.multiplyExact(elapsed, (long) speedPermille) / 1000);
        }

        @Override
        public int type() {
            return TYPE_EXERCISE_CLOCK;
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
            // Absent, the body ends after the text: the encoding of every Text before intents existed.
            t.intent().ifPresent(i -> w.u8(i.code()));
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
        } else if (content instanceof RelayCheckpoints g) {
            w.u8(g.notes().size());
            for (RelayNote n : g.notes()) {
                w.string(n.relay());
                w.bytes16(n.note());
            }
        } else if (content instanceof Inject i) {
            w.string(i.injectId());
            w.u8(i.kind().code());
            w.u64(i.scenarioTime().toEpochMilli());
            w.string(i.title());
            w.longString(i.text());
        } else if (content instanceof ExerciseClock c) {
            w.u8(c.action().code());
            w.u64(c.scenarioTime().toEpochMilli());
            w.u32(c.speedPermille());
            w.flag(c.running());
        } else if (content instanceof Reading r) {
            r.fields().write(w);
            w.fixed(r.signature());
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
            case TYPE_TEXT -> content = text(r);
            case TYPE_LINK_TEST -> content = new LinkTest(r.u64("body.nonce"));
            case TYPE_LINK_TEST_REPLY -> content = new LinkTestReply(r.u64("body.nonce"));
            case TYPE_LOG_CHECKPOINT -> content = logCheckpoint(r);
            case TYPE_RELAY_CHECKPOINTS -> content = relayCheckpoints(r);
            case TYPE_INJECT -> content = inject(r);
            case TYPE_EXERCISE_CLOCK -> content = exerciseClock(r);
            case TYPE_READING -> content = new Reading(ReadingFields.read(r), r.fixed(64, "body.signature"));
            default -> throw WireReader.malformed("body.type", "unknown content type " + type);
        }
        r.expectEnd("message body");
        return content;
    }

    private static Text text(WireReader r) throws FrameDecodeException {
        String text = r.longString(WireLimits.MAX_TEXT_BYTES, "body.text");
        if (r.remaining() == 0) {
            return new Text(text);
        }
        int code = r.u8("body.intent");
        Intent intent = Intent.ofCode(code).orElseThrow(() -> WireReader.malformed("body.intent",
                "unknown intent " + code));
        return new Text(text, intent);
    }

    private static Inject inject(WireReader r) throws FrameDecodeException {
        String id = r.string(WireLimits.MAX_NAME_BYTES, "body.injectId");
        if (id.isEmpty()) {
            throw WireReader.malformed("body.injectId", "empty");
        }
        int code = r.u8("body.kind");
        InjectKind kind = InjectKind.ofCode(code).orElseThrow(() ->
                WireReader.malformed("body.kind", "unknown inject kind " + code));
        java.time.Instant at = java.time.Instant.ofEpochMilli(r.u64("body.scenarioTime"));
        String title = r.string(MAX_INJECT_TITLE_BYTES, "body.title");
        String text = r.longString(WireLimits.MAX_TEXT_BYTES, "body.text");
        return new Inject(id, kind, at, title, text);
    }

    private static ExerciseClock exerciseClock(WireReader r) throws FrameDecodeException {
        int code = r.u8("body.action");
        ClockAction action = ClockAction.ofCode(code).orElseThrow(() ->
                WireReader.malformed("body.action", "unknown clock action " + code));
        java.time.Instant at = java.time.Instant.ofEpochMilli(r.u64("body.scenarioTime"));
        int speed = r.u32("body.speedPermille");
        if (speed < 1 || speed > MAX_SPEED_PERMILLE) {
            throw WireReader.malformed("body.speedPermille", "outside 1.." + MAX_SPEED_PERMILLE);
        }
        boolean running = r.flag("body.running");
        return new ExerciseClock(action, at, speed, running);
    }

    private static RelayCheckpoints relayCheckpoints(WireReader r) throws FrameDecodeException {
        int n = r.u8("body.count");
        if (n < 1 || n > MAX_RELAY_CHECKPOINTS) {
            throw WireReader.malformed("body.count", "outside 1.." + MAX_RELAY_CHECKPOINTS);
        }
        List<RelayNote> notes = new java.util.ArrayList<>(n);
        String previous = null;
        for (int i = 0; i < n; i++) {
            String relay = Names.read(r, "body.relays[" + i + "].relay");
            if (!Receipt.isRelayName(relay)) {
                throw WireReader.malformed("body.relays[" + i + "].relay", "not a relay name (PROTOCOL.md §13)");
            }
            if (previous != null && previous.compareTo(relay) >= 0) {
                throw WireReader.malformed("body.relays", "relay names not sorted and unique");
            }
            previous = relay;
            int length = r.u16("body.relays[" + i + "].note.length");
            if (length < 1 || length > WireLimits.MAX_CHECKPOINT_BYTES) {
                // Checked before the bytes are read, like a string's limit.
                throw WireReader.malformed("body.relays[" + i + "].note", "length " + length + " outside 1.."
                        + WireLimits.MAX_CHECKPOINT_BYTES);
            }
            notes.add(new RelayNote(relay, r.fixed(length, "body.relays[" + i + "].note")));
        }
        return new RelayCheckpoints(notes);
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
