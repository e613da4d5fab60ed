package org.hotline.app.participant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.hotline.app.cli.CloseOnShutdown;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.ExitCodes;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.ReceivedMessage;
import java.util.List;
import java.util.Optional;
import org.hotline.protocol.exercise.Party;
import org.hotline.protocol.signals.SignalCatalog;
import org.hotline.protocol.text.DisplaySafe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hotline listen}: prints every new verified message as it arrives, and first those a killed
 * run stored but had not printed ({@link ListenPrinter}).
 */
@Command(name = "listen", mixinStandardHelpOptions = true,
        description = {"Connect as ROLE and print each new message (verified and decrypted) as it arrives; at start, "
                + "first every stored one not printed yet (a killed run's), in arrival order (one printed just "
                + "before a kill may be printed again).",
                "With --json: one JSON object per message and line (type \"message\", id, from, to, channel, sentAt, "
                        + "signal, params, text (the English reference), rendered (every catalog language code to the canonical text; free text as written), verified, counter, receivedAt, missing, inReplyTo, and integrity: gap, "
                        + "linkBroken, catalogMismatch, equivocation, revokedSince (a date or null)); an equivocating "
                        + "copy of a message is printed too, with equivocation true, and does not count towards "
                        + "--count; injects from exercise control as type \"inject\" (id, from, "
                        + "to, kind, title, text, rendered, scenarioTime, sentAt, verified); at exercise control, participants' "
                        + "readings as type \"reading\" (messageId, from, channel, reader, readAs, note, receivedAt, "
                        + "readAt, latencyMillis, verified)."})
public final class ListenCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Option(names = "--count", paramLabel = "N", description = "Exit after N messages.")
    Integer count;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Exit after this long (exit 4 if --count was not reached).")
    Integer timeoutSeconds;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Option(names = "--acknowledge", description = "Acknowledge each message as it is printed (for scripted exercises).")
    boolean acknowledge;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (HotlineClient core = client.open();
             CloseOnShutdown signed = CloseOnShutdown.register(client.role, core, err)) {
            ListenPrinter printer = new ListenPrinter(core, out, err, json, acknowledge, Optional.ofNullable(count));
            core.addListener(printer);
            // What a killed run stored but did not print, before anything live (ListenPrinter).
            if (!printer.replay(core.resumePresentation(ListenPrinter.CONSUMER).get())) {
                // --count reached within the replay: not started, so no live batch moves the mark past
                // the stored lines not printed yet (ListenPrinter#replay).
                return ExitCodes.OK;
            }
            core.start();
            CountDownLatch done = printer.done();
            boolean complete = timeoutSeconds == null ? awaitForever(done) : done.await(timeoutSeconds, TimeUnit.SECONDS);
            if (acknowledge) {
                Thread.sleep(300);
            }
            if (!complete && count != null) {
                throw new CommandFailure(ExitCodes.NETWORK, "received " + printer.seen() + " of " + count + " messages in "
                        + timeoutSeconds + " s (" + core.linkStatus().describe(java.time.Instant.now()) + ")");
            }
            return ExitCodes.OK;
        }
    }

    private static boolean awaitForever(CountDownLatch done) throws InterruptedException {
        done.await();
        return true;
    }

    static String human(ReceivedMessage m) {
        // Peer-chosen text must not move the cursor or forge lines; --json escapes through Jackson instead.
        // The id first, in the form --reply-to and --param ref= take.
        return String.format("%s  %s  %s -> %s  [%s]  %s  (%s, #%d%s%s%s%s%s)", m.id().shortForm(), m.sentAt(),
                DisplaySafe.line(m.from()),
                DisplaySafe.line(String.join(",", m.to())), m.category().orElse("free text"), DisplaySafe.line(m.text()),
                m.verified() ? "signature verified" : "NOT VERIFIED",
                m.counter(), m.missing().isEmpty() ? "" : ", missing before it: " + m.missing(),
                m.linkBroken() ? ", HASH LINK BROKEN" : "",
                m.catalogMismatch() ? ", CATALOG MISMATCH: wording not the sender's catalog" : "",
                m.equivocation() ? ", EQUIVOCATION: another copy of this message was received before" : "",
                m.senderRevokedSince().map(at -> ", SENDER'S CERTIFICATE REVOKED SINCE " + at).orElse(""));
    }

    /** {@link #json(ReceivedMessage, SignalCatalog, List)} with the built-in catalog and times in UTC only. */
    static String json(ReceivedMessage m) {
        return json(m, SignalCatalog.builtIn(), List.of());
    }

    /** @param parties the exercise's parties: the zones a signal's times are worded in, as in {@code text} */
    static String json(ReceivedMessage m, SignalCatalog catalog, List<Party> parties) {
        ObjectNode o = JSON.createObjectNode();
        o.put("type", "message");
        o.put("id", m.id().hex());
        o.put("from", m.from());
        o.putPOJO("to", m.to());
        o.put("channel", m.channel());
        o.put("sentAt", m.sentAt().toString());
        if (m.signalId().isPresent()) {
            o.put("signal", m.signalId().get());
        } else {
            o.putNull("signal");
        }
        ObjectNode params = o.putObject("params");
        m.params().forEach(params::put);
        o.put("text", m.text());
        RenderedField.put(o, catalog, parties, m.signalId(), m.params(), m.text());
        o.put("verified", m.verified());
        o.put("counter", m.counter());
        o.put("receivedAt", m.receivedAt().toString());
        o.putPOJO("missing", m.missing());
        m.inReplyTo().ifPresent(r -> o.put("inReplyTo", r.hex()));
        // "verified" is the signature only; these say what else a reader must not take on trust.
        ObjectNode integrity = o.putObject("integrity");
        integrity.put("gap", !m.missing().isEmpty());
        integrity.put("linkBroken", m.linkBroken());
        integrity.put("catalogMismatch", m.catalogMismatch());
        integrity.put("equivocation", m.equivocation());
        if (m.senderRevokedSince().isPresent()) {
            integrity.put("revokedSince", m.senderRevokedSince().get().toString());
        } else {
            integrity.putNull("revokedSince");
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
