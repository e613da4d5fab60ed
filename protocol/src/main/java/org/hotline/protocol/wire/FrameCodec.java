package org.hotline.protocol.wire;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one place where frame payloads become typed {@link Frame}s and back (PROTOCOL.md §3).
 * Input here is {@code version | kind | payload}: the u32 length prefix is the transport's job.
 * Decoding checks, in order: version, kind, then each field; trailing bytes are refused.
 */
public final class FrameCodec {

    private FrameCodec() {
    }

    /** Room for the whole payload of the frames that carry boxes (about 2 KiB), so the buffer does not grow. */
    private static int initialCapacity(Frame frame) {
        if (frame instanceof Frame.Send f) {
            int n = 128;
            for (SealedBox b : f.boxes()) {
                n += b.size() + 80;
            }
            return n;
        }
        if (frame instanceof Frame.Deliver f) {
            return 208 + f.box().size();
        }
        return 128;
    }

    public static byte[] encode(Frame frame) {
        WireWriter w = new WireWriter(initialCapacity(frame)).u8(ProtocolVersion.CURRENT).u8(frame.kind().code());
        if (frame instanceof Frame.Hello f) {
            w.string(f.clientSoftware());
        } else if (frame instanceof Frame.Welcome f) {
            w.string(f.role()).u64(f.serverTime().toEpochMilli()).u32(f.maxFrameBytes());
        } else if (frame instanceof Frame.PrekeyUpload f) {
            writePrekeys(w, f.prekeys());
        } else if (frame instanceof Frame.PrekeyFetch f) {
            w.string(f.role());
        } else if (frame instanceof Frame.PrekeyBundle f) {
            w.string(f.role());
            writePrekeys(w, f.prekeys());
        } else if (frame instanceof Frame.Send f) {
            f.messageId().write(w);
            w.string(f.sender()).string(f.channel()).u8(f.boxes().size());
            f.boxes().forEach(b -> b.write(w));
        } else if (frame instanceof Frame.Accepted f) {
            w.bytes16(f.receipt().encode());
            f.inclusion().ifPresent(in -> {
                w.u64(in.leafIndex());
                writeHashes(w, in.path());
                w.bytes16(in.checkpoint());
            });
        } else if (frame instanceof Frame.LogConsistencyFetch f) {
            w.u64(f.oldSize()).u64(f.newSize()).flag(f.signed());
        } else if (frame instanceof Frame.LogConsistency f) {
            w.u64(f.oldSize()).u64(f.newSize());
            writeHashes(w, f.proof());
            w.flag(f.signature().isPresent());
            f.signature().ifPresent(sig -> {
                sig.oldRoot().write(w);
                sig.newRoot().write(w);
                w.fixed(sig.signature());
            });
        } else if (frame instanceof Frame.Deliver f) {
            f.messageId().write(w);
            w.string(f.sender()).string(f.channel()).u64(f.acceptedAt().toEpochMilli());
            f.box().write(w);
        } else if (frame instanceof Frame.DeliveryAck f) {
            w.bytes16(f.receipt().encode());
        } else if (frame instanceof Frame.ReceiptNotice f) {
            w.bytes16(f.receipt().encode());
        } else if (frame instanceof Frame.DeliveredThrough f) {
            w.bytes16(f.receipt().encode());
        } else if (frame instanceof Frame.ReceiptAck f) {
            f.messageId().write(w);
            w.u8(f.type().code()).string(f.asserter());
        } else if (frame instanceof Frame.Error f) {
            w.u16(f.code().code()).flag(f.messageId().isPresent());
            f.messageId().ifPresent(id -> id.write(w));
            w.string(truncate(f.text(), WireLimits.MAX_ERROR_TEXT_BYTES));
        } else if (frame instanceof Frame.Ping f) {
            w.u64(f.nonce());
        } else if (frame instanceof Frame.Pong f) {
            w.u64(f.nonce());
        } else {
            throw new IllegalStateException("unhandled frame " + frame.kind());
        }
        return w.toByteArray();
    }

    /**
     * Decodes one frame payload.
     *
     * @throws FrameDecodeException naming the first rule the bytes broke
     */
    public static Frame decode(byte[] payload) throws FrameDecodeException {
        WireReader r = new WireReader(payload);
        ProtocolVersion.check(r.u8("frame.version"), "frame");
        FrameKind kind = FrameKind.fromCode(r.u8("frame.kind"));
        Frame frame = switch (kind) {
            case HELLO -> new Frame.Hello(r.string(WireLimits.MAX_ERROR_TEXT_BYTES, "hello.clientSoftware"));
            case WELCOME -> {
                String role = Names.read(r, "welcome.role");
                Instant t = Instant.ofEpochMilli(r.u64("welcome.serverTime"));
                yield new Frame.Welcome(role, t, r.u32("welcome.maxFrameBytes"));
            }
            case PREKEY_UPLOAD -> new Frame.PrekeyUpload(readPrekeys(r));
            case PREKEY_FETCH -> new Frame.PrekeyFetch(Names.read(r, "prekeyFetch.role"));
            case PREKEY_BUNDLE -> {
                String role = Names.read(r, "prekeyBundle.role");
                yield new Frame.PrekeyBundle(role, readPrekeys(r));
            }
            case SEND -> {
                MessageId id = MessageId.read(r, "send.messageId");
                String sender = Names.read(r, "send.sender");
                String channel = Names.read(r, "send.channel");
                int n = r.u8("send.boxes.count");
                if (n < 1 || n > WireLimits.MAX_RECIPIENTS) {
                    throw WireReader.malformed("send.boxes", "count " + n + " not in 1.." + WireLimits.MAX_RECIPIENTS);
                }
                List<SealedBox> boxes = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    SealedBox b = SealedBox.read(r, "send.boxes[" + i + "]");
                    if (!boxes.isEmpty()) {
                        int order = boxes.get(boxes.size() - 1).recipient().compareTo(b.recipient());
                        if (order == 0) {
                            throw WireReader.malformed("send.boxes", "two boxes for " + b.recipient());
                        }
                        if (order > 0) {
                            throw WireReader.malformed("send.boxes", "boxes not sorted by recipient");
                        }
                    }
                    boxes.add(b);
                }
                yield new Frame.Send(id, sender, channel, boxes);
            }
            case ACCEPTED -> new Frame.Accepted(readReceipt(r, "accepted.receipt"));
            case ACCEPTED_IN_LOG -> {
                Receipt receipt = readUnsignedReceipt(r, "acceptedInLog.receipt");
                long leafIndex = readSize(r, "acceptedInLog.leafIndex");
                List<Hash32> path = readHashes(r, "acceptedInLog.path");
                byte[] checkpoint = r.bytes16("acceptedInLog.checkpoint");
                if (checkpoint.length > WireLimits.MAX_CHECKPOINT_BYTES) {
                    throw WireReader.malformed("acceptedInLog.checkpoint", "longer than " + WireLimits.MAX_CHECKPOINT_BYTES);
                }
                yield new Frame.Accepted(receipt, Optional.of(new LogInclusion(leafIndex, path, checkpoint)));
            }
            case LOG_CONSISTENCY_FETCH -> {
                long oldSize = readSize(r, "logConsistencyFetch.oldSize");
                long newSize = readSize(r, "logConsistencyFetch.newSize");
                yield new Frame.LogConsistencyFetch(oldSize, newSize, r.flag("logConsistencyFetch.signed"));
            }
            case LOG_CONSISTENCY -> {
                long oldSize = readSize(r, "logConsistency.oldSize");
                long newSize = readSize(r, "logConsistency.newSize");
                List<Hash32> proof = readHashes(r, "logConsistency.proof");
                Optional<LogConsistencySignature> signature = Optional.empty();
                if (r.flag("logConsistency.signed")) {
                    Hash32 oldRoot = Hash32.read(r, "logConsistency.oldRoot");
                    Hash32 newRoot = Hash32.read(r, "logConsistency.newRoot");
                    signature = Optional.of(new LogConsistencySignature(oldRoot, newRoot,
                            r.fixed(LogConsistencySignature.SIGNATURE_BYTES, "logConsistency.signature")));
                }
                yield new Frame.LogConsistency(oldSize, newSize, proof, signature);
            }
            case DELIVER -> {
                MessageId id = MessageId.read(r, "deliver.messageId");
                String sender = Names.read(r, "deliver.sender");
                String channel = Names.read(r, "deliver.channel");
                Instant acceptedAt = Instant.ofEpochMilli(r.u64("deliver.acceptedAt"));
                yield new Frame.Deliver(id, sender, channel, acceptedAt, SealedBox.read(r, "deliver.box"));
            }
            case DELIVERY_ACK -> new Frame.DeliveryAck(readReceipt(r, "deliveryAck.receipt"));
            case RECEIPT -> new Frame.ReceiptNotice(readReceipt(r, "receipt"));
            case DELIVERED_THROUGH -> {
                byte[] raw = r.bytes16("deliveredThrough.receipt");
                if (raw.length > WireLimits.MAX_CUMULATIVE_RECEIPT_BYTES) {
                    throw WireReader.malformed("deliveredThrough.receipt", "too long");
                }
                yield new Frame.DeliveredThrough(CumulativeReceipt.decode(raw));
            }
            case RECEIPT_ACK -> {
                MessageId id = MessageId.read(r, "receiptAck.messageId");
                Receipt.Type type = Receipt.Type.fromCode(r.u8("receiptAck.type"));
                yield new Frame.ReceiptAck(id, type, Names.read(r, "receiptAck.asserter"));
            }
            case ERROR -> {
                int code = r.u16("error.code");
                Optional<MessageId> id = r.flag("error.messageId")
                        ? Optional.of(MessageId.read(r, "error.messageId")) : Optional.empty();
                String text = r.string(WireLimits.MAX_ERROR_TEXT_BYTES, "error.text");
                ErrorCode ec = ErrorCode.fromCode(code)
                        .orElseThrow(() -> WireReader.malformed("error.code", "unknown error code " + code));
                yield new Frame.Error(ec, id, text);
            }
            case PING -> new Frame.Ping(r.u64("ping.nonce"));
            case PONG -> new Frame.Pong(r.u64("pong.nonce"));
        };
        r.expectEnd(kind.name().toLowerCase() + " frame");
        return frame;
    }

    private static void writePrekeys(WireWriter w, List<SignedPrekeyBytes> prekeys) {
        w.u8(prekeys.size());
        prekeys.forEach(p -> w.bytes16(p.encode()));
    }

    private static List<SignedPrekeyBytes> readPrekeys(WireReader r) throws FrameDecodeException {
        int n = r.u8("prekeys.count");
        if (n > WireLimits.MAX_PREKEYS_PER_FRAME) {
            throw WireReader.malformed("prekeys", "more than " + WireLimits.MAX_PREKEYS_PER_FRAME);
        }
        List<SignedPrekeyBytes> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(SignedPrekeyBytes.decode(r.bytes16("prekeys[" + i + "]")));
        }
        return out;
    }

    private static void writeHashes(WireWriter w, List<Hash32> hashes) {
        w.u8(hashes.size());
        hashes.forEach(h -> h.write(w));
    }

    private static List<Hash32> readHashes(WireReader r, String field) throws FrameDecodeException {
        int n = r.u8(field + ".count");
        if (n > WireLimits.MAX_PROOF_HASHES) {
            throw WireReader.malformed(field, "more than " + WireLimits.MAX_PROOF_HASHES + " hashes");
        }
        List<Hash32> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(Hash32.read(r, field + "[" + i + "]"));
        }
        return out;
    }

    /** A tree size or leaf index: a u64 of at most 2^63 - 1. */
    private static long readSize(WireReader r, String field) throws FrameDecodeException {
        long v = r.u64(field);
        if (v < 0) {
            throw WireReader.malformed(field, "above 2^63 - 1");
        }
        return v;
    }

    private static Receipt readReceipt(WireReader r, String field) throws FrameDecodeException {
        byte[] raw = r.bytes16(field);
        if (raw.length > WireLimits.MAX_RECEIPT_BYTES) {
            throw WireReader.malformed(field, "too long");
        }
        return Receipt.decode(raw);
    }

    /** ACCEPTED_IN_LOG's receipt field: the accepted receipt without its signature (PROTOCOL.md §3.4.14). */
    private static Receipt readUnsignedReceipt(WireReader r, String field) throws FrameDecodeException {
        byte[] raw = r.bytes16(field);
        if (raw.length > WireLimits.MAX_RECEIPT_BYTES) {
            throw WireReader.malformed(field, "too long");
        }
        return Receipt.decodeUnsigned(raw);
    }

    /** Shortens to at most {@code maxBytes} of UTF-8, cutting between code points (never inside a pair). */
    static String truncate(String s, int maxBytes) {
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > maxBytes) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += n;
            i += Character.charCount(cp);
        }
        return out.toString();
    }
}
