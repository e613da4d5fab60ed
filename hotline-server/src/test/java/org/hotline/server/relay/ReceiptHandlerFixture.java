package org.hotline.server.relay;

import java.nio.file.Path;
import org.hotline.protocol.wire.Frame;
import org.hotline.server.testing.RecordingSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up every test of the relay's receipt handling shares: the relay's parts without a
 * network ({@link RelayParts}), their {@link ReceiptHandler}, and India (the sender) and Pakistan
 * (the recipient) connected, each a {@link RecordingSession}. Fresh for every test; closed after it.
 */
abstract class ReceiptHandlerFixture {

    @TempDir
    Path tmp;
    RelayParts parts;
    ReceiptHandler receipts;
    RecordingSession sender;
    RecordingSession recipient;

    @BeforeEach
    void wire() throws Exception {
        parts = new RelayParts(tmp);
        receipts = parts.receiptHandler();
        sender = new RecordingSession("in.pm");
        recipient = new RecordingSession("pk.pm");
        parts.sessions.attach(sender, new Frame.Hello("test"));
        parts.sessions.attach(recipient, new Frame.Hello("test"));
    }

    @AfterEach
    void close() throws Exception {
        parts.close();
    }
}
