package org.hotline.app.demo;

import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.wire.ReadAs;

/**
 * How the demo's scripted prime ministers read the other side's signals (PROTOCOL.md §4.2,
 * Reading): plausible readings of a tense day, including the one the hot wash should start from,
 * a reassurance read as a threat (India's "action concluded" after its strike, read in Pakistan as
 * a warning of more). Not a model of the states concerned.
 */
final class ScenarioReadings {

    /** A reading to record, with its note ("" for none). */
    record Scripted(ReadAs readAs, String note) {
    }

    private static final Map<String, Scripted> BY_READER_AND_SIGNAL = Map.ofEntries(
            Map.entry("pk.pm incident.report-request-facts", new Scripted(ReadAs.UNCLEAR,
                    "Are they asking, or already blaming us?")),
            Map.entry("in.pm incident.condolences", new Scripted(ReadAs.REASSURING, "")),
            Map.entry("in.pm incident.preliminary-facts", new Scripted(ReadAs.NEUTRAL, "")),
            Map.entry("pk.pm incident.inadvertent-event", new Scripted(ReadAs.CONCERNING,
                    "A launch 'without a warhead': how would we know?")),
            Map.entry("in.pm ack.received-understood", new Scripted(ReadAs.NEUTRAL, "")),
            Map.entry("pk.pm limited.action-concluded", new Scripted(ReadAs.THREATENING,
                    "Strikes on our soil are not 'concluded' for us; we read this as a warning of more.")),
            Map.entry("in.pm agreement.nuclear-installations", new Scripted(ReadAs.REASSURING, "")),
            Map.entry("in.pm humanitarian.welfare-assurance", new Scripted(ReadAs.REASSURING, "")),
            Map.entry("pk.pm thirdparty.welcome-facilitation", new Scripted(ReadAs.NEUTRAL, "")),
            Map.entry("pk.pm deesc.ceasefire-loc", new Scripted(ReadAs.REASSURING, "")),
            Map.entry("in.pm deesc.accept-ceasefire", new Scripted(ReadAs.REASSURING, "")),
            Map.entry("pk.pm ack.appreciation", new Scripted(ReadAs.REASSURING, "")));

    private ScenarioReadings() {
    }

    /** Every scripted "reader signalId" pair. */
    static java.util.Set<String> scripted() {
        return BY_READER_AND_SIGNAL.keySet();
    }

    /** How {@code reader} reads a received {@code signalId}, if the script says. */
    static Optional<Scripted> of(String reader, String signalId) {
        return Optional.ofNullable(BY_READER_AND_SIGNAL.get(reader + " " + signalId));
    }
}
