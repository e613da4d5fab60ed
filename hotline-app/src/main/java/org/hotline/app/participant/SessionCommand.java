package org.hotline.app.participant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import org.hotline.app.cli.CloseOnShutdown;
import org.hotline.app.cli.ExitCodes;
import org.hotline.client.core.AnswerByInput;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.DeliveryState;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.ReceivedMessage;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.MessageId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hotline session}: one process that both listens and sends for a role, so the command line
 * never needs two processes on one data directory (which the directory lock refuses). Commands come
 * from standard input, one per line; everything it reports goes to standard output as JSON lines.
 */
@Command(name = "session", mixinStandardHelpOptions = true,
        description = {"Connect as ROLE, print every new message as a JSON line (as 'listen --json' does) and send "
                + "what standard input asks for, one command per line, until end of input or 'quit'.",
                "Commands: a JSON object {\"send\":{\"to\":ROLE,\"text\":TEXT}} or {\"send\":{\"to\":ROLE,"
                        + "\"signal\":ID,\"params\":{...}}} (optional \"replyTo\":ID, \"answerBy\":TIME), "
                        + "{\"ack\":ID}, {\"quit\":true}; or the short forms 'send ROLE TEXT...', "
                        + "'signal ROLE ID [NAME=VALUE...]', 'ack ID', 'quit'.",
                "Output: a received message as in 'listen --json'; {\"event\":\"queued\",\"id\":...,\"to\":...}, "
                        + "{\"event\":\"state\",\"id\":...,\"state\":...}, {\"event\":\"acknowledged\",\"id\":...} "
                        + "and {\"event\":\"error\",\"error\":...} for the rest."})
public final class SessionCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Option(names = "--acknowledge", description = "Acknowledge each message as it is printed.")
    boolean acknowledge;

    private PrintWriter out;
    private final Set<MessageId> mine = ConcurrentHashMap.newKeySet();
    private final Map<MessageId, DeliveryState> early = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (HotlineClient core = client.open();
             CloseOnShutdown signed = CloseOnShutdown.register(client.role, core, err)) {
            core.addListener(new ClientListener() {
                @Override
                public void messageReceived(ReceivedMessage m) {
                    if (m.acknowledged()) {
                        return;
                    }
                    print(ListenCommand.json(m, core.catalog(), core.exercise().parties()));
                    if (acknowledge) {
                        core.acknowledge(m.id());
                    }
                }

                @Override
                public void equivocationReceived(ReceivedMessage copy) {
                    // As listen --json prints it: evidence, flagged, never acknowledged.
                    print(ListenCommand.json(copy));
                }

                @Override
                public void deliveryStateChanged(MessageId id, DeliveryState s) {
                    state(id, s);
                }

                @Override
                public void problem(String message) {
                    print(event("error").put("error", message));
                }
            });
            core.start();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    if (!command(core, line.strip())) {
                        break;
                    }
                } catch (RuntimeException e) {
                    print(event("error").put("error", e.getMessage() == null ? e.toString() : e.getMessage())
                            .put("command", line));
                }
            }
            return ExitCodes.OK;
        }
    }

    /** Runs one command line; false for quit. */
    private boolean command(HotlineClient core, String line) {
        if (line.startsWith("{")) {
            JsonNode c;
            try {
                c = JSON.readTree(line);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("not a JSON object: " + e.getOriginalMessage());
            }
            if (c.has("quit")) {
                return false;
            }
            if (c.has("ack")) {
                acknowledge(core, c.get("ack").asText());
                return true;
            }
            JsonNode s = c.path("send");
            if (!s.isObject()) {
                throw new IllegalArgumentException("unknown command: expected \"send\", \"ack\" or \"quit\"");
            }
            Map<String, String> params = new LinkedHashMap<>();
            s.path("params").fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
            send(core, s.path("to").asText(), s.hasNonNull("signal") ? s.get("signal").asText() : null,
                    s.hasNonNull("text") ? s.get("text").asText() : null, params,
                    s.hasNonNull("replyTo") ? Optional.of(s.get("replyTo").asText()) : Optional.empty(),
                    s.hasNonNull("answerBy") ? Optional.of(s.get("answerBy").asText()) : Optional.empty());
            return true;
        }
        String[] w = line.split("\\s+", 3);
        switch (w[0]) {
            case "quit", "exit" -> {
                return false;
            }
            case "ack" -> acknowledge(core, arg(w, 1, "ack ID"));
            case "send" -> send(core, arg(w, 1, "send ROLE TEXT"), null, arg(w, 2, "send ROLE TEXT"), Map.of(),
                    Optional.empty(), Optional.empty());
            case "signal" -> {
                String[] rest = arg(w, 2, "signal ROLE ID [NAME=VALUE...]").split("\\s+");
                Map<String, String> params = new LinkedHashMap<>();
                for (int i = 1; i < rest.length; i++) {
                    int eq = rest[i].indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("parameter '" + rest[i] + "' is not NAME=VALUE");
                    }
                    params.put(rest[i].substring(0, eq), rest[i].substring(eq + 1));
                }
                send(core, w[1], rest[0], null, params, Optional.empty(), Optional.empty());
            }
            default -> throw new IllegalArgumentException("unknown command '" + w[0] + "': send, signal, ack or quit");
        }
        return true;
    }

    private static String arg(String[] w, int i, String usage) {
        if (w.length <= i || w[i].isBlank()) {
            throw new IllegalArgumentException("usage: " + usage);
        }
        return w[i];
    }

    private void send(HotlineClient core, String to, String signal, String text, Map<String, String> params,
                      Optional<String> replyTo, Optional<String> answerBy) {
        if (core.channelTo(to).isEmpty()) {
            throw new IllegalArgumentException(client.role + " shares no channel with '" + to + "'");
        }
        if ((signal == null) == (text == null)) {
            throw new IllegalArgumentException("give either a text or a signal");
        }
        Optional<MessageId> inReplyTo = replyTo.map(MessageId::parse);
        Optional<Instant> by = answerBy.flatMap(a -> AnswerByInput.parse(a, Instant.now(), core.catalog(),
                Optional.ofNullable(signal)));
        CompletableFuture<MessageId> sent;
        try {
            sent = signal != null ? core.sendSignal(to, signal, params, inReplyTo, by)
                    : core.send(to, new Content.Text(text), inReplyTo, by);
        } catch (org.hotline.protocol.signals.SignalException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        MessageId id = sent.join();
        queued(id, to);
    }

    /**
     * The id is known only once the engine has composed it, and the relay may accept it before this
     * thread hears the id: states of ids not yet ours wait in {@code early} (link tests stay there).
     */
    private synchronized void queued(MessageId id, String to) {
        mine.add(id);
        print(event("queued").put("id", id.hex()).put("to", to));
        DeliveryState before = early.remove(id);
        if (before != null && before != DeliveryState.QUEUED) {
            print(event("state").put("id", id.hex()).put("state", before.label()));
        }
    }

    private synchronized void state(MessageId id, DeliveryState s) {
        if (mine.contains(id)) {
            print(event("state").put("id", id.hex()).put("state", s.label()));
        } else {
            early.merge(id, s, (a, b) -> b.ordinal() >= a.ordinal() ? b : a);
            if (early.size() > 256) {
                early.remove(early.keySet().iterator().next());
            }
        }
    }

    private void acknowledge(HotlineClient core, String id) {
        MessageId m = MessageId.parse(id);
        core.acknowledge(m).join();
        print(event("acknowledged").put("id", m.hex()));
    }

    private static ObjectNode event(String kind) {
        ObjectNode o = JSON.createObjectNode();
        o.put("event", kind);
        return o;
    }

    private void print(ObjectNode o) {
        try {
            print(JSON.writeValueAsString(o));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("an event of strings cannot fail to encode", e);
        }
    }

    /** One line at a time: the listener thread and the command loop print concurrently. */
    private synchronized void print(String line) {
        out.println(line);
        out.flush();
    }
}
