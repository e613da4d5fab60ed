package org.hotline.app.participant;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.hotline.app.cli.CloseOnShutdown;
import org.hotline.app.cli.CommandFailure;
import org.hotline.app.cli.ExitCodes;
import org.hotline.client.core.AnswerByInput;
import org.hotline.client.core.ClientListener;
import org.hotline.client.core.DeliveryState;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.SentMessage;
import org.hotline.protocol.signals.SignalException;
import org.hotline.protocol.wire.Intent;
import org.hotline.protocol.wire.MessageId;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hotline send}: one signed, sealed message; prints its id and the state it reached. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Send one message to a channel peer and wait for it to be accepted (or delivered).",
                "Prints '<message id> <state>'. The message is stored in the outbox first and goes out sealed to "
                        + "the recipient's newest prekey the relay hands out (asked for when the line comes up): if "
                        + "the relay cannot be reached it stays queued and goes out the next time this role connects."})
public final class SendCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client = new ClientOptions();

    @Option(names = "--to", required = true, paramLabel = "ROLE", description = "Recipient role, e.g. pk.pm.")
    String to;

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--signal", paramLabel = "ID", description = "Prefabricated signal id (see 'hotline signals').")
        String signal;

        @Option(names = "--text", paramLabel = "TEXT", description = "Free text.")
        String text;
    }

    @Option(names = "--intent", paramLabel = "INTENT",
            description = "What the free text means to do, signed with it: inform, reassure, propose, request, "
                    + "acknowledge or warn. A signal's intent is its catalog category's.")
    String intent;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "Signal parameter (repeatable).")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--reply-to", paramLabel = "ID",
            description = "Message this answers: its id as 'listen' shows it (first 8 hex digits) or all 32.")
    String replyTo;

    @Option(names = "--send-as-written",
            description = "Send --text even if the calm-wording check flags it (the override is logged).")
    boolean sendAsWritten;

    @Option(names = "--answer-by", paramLabel = "TIME|DURATION",
            description = "Ask for an answer by this time (ISO-8601 with offset), or within a duration from now "
                    + "(10m, 30s, 1h, 1h30m); 'default' for the signal's catalog default, 'none' for none.")
    String answerBy;

    @Option(names = "--wait", defaultValue = "accepted", paramLabel = "STATE",
            description = "accepted or delivered (default: ${DEFAULT-VALUE}).")
    String waitFor;

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS", description = "Give up waiting after (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        DeliveryState target = switch (waitFor) {
            case "accepted" -> DeliveryState.ACCEPTED;
            case "delivered" -> DeliveryState.DELIVERED;
            default -> throw new CommandFailure(ExitCodes.USAGE, "--wait must be accepted or delivered, not '" + waitFor + "'");
        };
        if (what.text != null && !params.isEmpty()) {
            throw new CommandFailure(ExitCodes.USAGE, "--param only goes with --signal");
        }
        Optional<Intent> textIntent = Optional.empty();
        if (intent != null) {
            if (what.signal != null) {
                throw new CommandFailure(ExitCodes.USAGE, "--intent only goes with --text: a signal's intent is its "
                        + "category's");
            }
            textIntent = Optional.of(Intent.ofLabel(intent).orElseThrow(() -> new CommandFailure(ExitCodes.USAGE,
                    "--intent must be one of " + java.util.Arrays.stream(Intent.values()).map(Intent::label).toList()
                            + ", not '" + intent + "'")));
        }
        Optional<MessageId> inReplyTo = Optional.empty();
        Optional<Instant> by = Optional.empty();
        try {
            if (answerBy != null) {
                by = AnswerByInput.parse(answerBy, Instant.now(), org.hotline.protocol.signals.SignalCatalog.builtIn(),
                        Optional.ofNullable(what.signal));
            }
        } catch (RuntimeException e) {
            throw new CommandFailure(ExitCodes.USAGE, "bad --reply-to or --answer-by: " + e.getMessage());
        }
        try (HotlineClient core = client.open();
             CloseOnShutdown signed = CloseOnShutdown.register(client.role, core, spec.commandLine().getErr())) {
            if (core.channelTo(to).isEmpty()) {
                throw new CommandFailure(ExitCodes.USAGE, client.role + " shares no channel with '" + to
                        + "' (channel policy of exercise " + core.exercise().id() + ")");
            }
            core.addListener(new ClientListener() {
                @Override
                public void problem(String message) {
                    spec.commandLine().getErr().println("hotline: " + message);
                }
            });
            if (replyTo != null) {
                inReplyTo = Optional.of(MessageRefs.resolve(core, "--reply-to", replyTo));
            }
            Map<String, String> values = new LinkedHashMap<>(params);
            if (what.signal != null) {
                // A message reference takes the same forms as --reply-to and must name a message this role knows.
                for (var p : core.catalog().find(what.signal).map(s -> s.params()).orElse(java.util.List.of())) {
                    if (p.type() == org.hotline.protocol.signals.ParamType.MESSAGE_REF && values.containsKey(p.name())) {
                        values.put(p.name(), MessageRefs.resolve(core, "--param " + p.name(), values.get(p.name())).hex());
                    }
                }
            } else {
                CalmWordingGate.check(core, what.text, sendAsWritten, spec.commandLine().getErr());
            }
            MessageId sent;
            try {
                sent = what.signal != null
                        ? core.sendSignal(to, what.signal, values, inReplyTo, by).get()
                        : core.send(to, new org.hotline.protocol.wire.Content.Text(what.text, textIntent), inReplyTo, by).get();
            } catch (SignalException e) {
                throw new CommandFailure(ExitCodes.USAGE, e.getMessage(), e);
            }
            CompletableFuture<DeliveryState> reached = core.whenState(sent, target);
            core.start();
            try {
                DeliveryState state = reached.get(timeoutSeconds, TimeUnit.SECONDS);
                spec.commandLine().getOut().println(sent.hex() + " " + state.label());
                if (state == DeliveryState.REJECTED) {
                    // The reason is on stderr already (the engine reports the signed rejection as a problem).
                    throw new CommandFailure(ExitCodes.INTEGRITY, "message " + sent.shortForm()
                            + " was rejected by its recipient");
                }
            } catch (TimeoutException e) {
                DeliveryState now = core.sentMessages().get().stream().filter(m -> m.id().equals(sent))
                        .map(SentMessage::state).findFirst().orElse(DeliveryState.QUEUED);
                spec.commandLine().getOut().println(sent.hex() + " " + now.label());
                throw new CommandFailure(ExitCodes.NETWORK, "message " + sent.shortForm() + " is " + now.label()
                        + ", not " + target.label() + " after " + Duration.ofSeconds(timeoutSeconds).toSeconds()
                        + " s (" + core.lastDisconnectReason() + "); it stays in the outbox and is sent on the next run");
            }
            return ExitCodes.OK;
        }
    }
}
