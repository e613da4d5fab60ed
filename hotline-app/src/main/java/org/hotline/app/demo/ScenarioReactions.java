package org.hotline.app.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.hotline.client.core.ReceivedInject;
import org.hotline.protocol.wire.MessageId;

/**
 * The demo's scripted participants: which catalog signal a prime minister sends the other side
 * when a given inject of the shipped south-asia scenario reaches them. It is what a trained player
 * might do (condolences and a request for facts first, facts in answer, reassurance when the
 * scenario gives a reason, a cease-fire proposed, questioned and accepted), not a model of the
 * states concerned.
 */
final class ScenarioReactions {

    /** A signal to send, with its parameters. */
    record Reaction(String signalId, Map<String, String> params) {
    }

    private ScenarioReactions() {
    }

    /**
     * The reaction of {@code role} to {@code inject}, if it has one.
     *
     * @param lastFromPeer the newest message {@code role} received from the other prime minister
     */
    static Optional<Reaction> of(String role, ReceivedInject inject, Optional<MessageId> lastFromPeer) {
        Instant scenario = inject.scenarioTime().truncatedTo(ChronoUnit.MINUTES);
        String day = LocalDate.ofInstant(scenario, ZoneOffset.UTC).toString();
        String ref = lastFromPeer.map(MessageId::hex).orElse(null);
        Map<String, String> p = new LinkedHashMap<>();
        String signal = switch (role + " " + inject.injectId()) {
            case "in.pm I-01" -> {
                p.put("location", "Kestrel Ridge");
                p.put("incidentTime", scenario.minus(Duration.ofMinutes(40)).toString());
                yield "incident.report-request-facts";
            }
            case "pk.pm I-01" -> {
                p.put("location", "Kestrel Ridge");
                p.put("incidentDate", day);
                yield "incident.condolences";
            }
            case "pk.pm I-06" -> {
                p.put("summary", "two commanders named in the claim were released on bail last year, no official "
                        + "contact with the group is recorded, and an inquiry is open");
                yield ref == null ? null : withRef(p, ref, "incident.preliminary-facts");
            }
            case "in.pm I-08" -> {
                p.put("eventType", "missile launch without a warhead");
                p.put("location", "Tamarind Flats");
                p.put("eventTime", scenario.minus(Duration.ofMinutes(5)).toString());
                yield "incident.inadvertent-event";
            }
            case "pk.pm I-09" -> ref == null ? null : withRef(p, ref, "ack.received-understood");
            case "in.pm I-10" -> {
                p.put("actionDate", day);
                p.put("targetType", "militant training camps");
                yield "limited.action-concluded";
            }
            case "pk.pm I-11" -> "agreement.nuclear-installations";
            case "pk.pm I-12" -> {
                p.put("personName", "Squadron Leader Arun Mehra");
                yield "humanitarian.welfare-assurance";
            }
            case "in.pm I-16" -> {
                p.put("facilitator", "the foreign minister of a friendly third state");
                yield "thirdparty.welcome-facilitation";
            }
            case "in.pm I-17" -> {
                p.put("startTime", ceaseFire(scenario));
                yield "deesc.ceasefire-loc";
            }
            case "pk.pm I-19" -> {
                p.put("startTime", ceaseFire(scenario));
                yield ref == null ? null : withRef(p, ref, "deesc.accept-ceasefire");
            }
            case "in.pm I-20" -> ref == null ? null : withRef(p, ref, "ack.appreciation");
            default -> null;
        };
        return Optional.ofNullable(signal).map(s -> new Reaction(s, Map.copyOf(p)));
    }

    private static String withRef(Map<String, String> params, String ref, String signal) {
        params.put("ref", ref);
        return signal;
    }

    /** 08:00 IST on the scenario's day, when the scenario's cease-fire begins. */
    private static String ceaseFire(Instant scenario) {
        return LocalDate.ofInstant(scenario, ZoneOffset.UTC).atTime(2, 30).toInstant(ZoneOffset.UTC).toString();
    }
}
