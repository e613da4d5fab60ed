package org.hotline.client.ui.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import org.hotline.client.core.DeliveryState;
import org.hotline.protocol.wire.MessageId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A signal's "message 3f2a91c0" shown as the message it names, from the speaker's point of view. */
@Timeout(5)
class ReferenceWordingTest {

    static final ZoneId IST = ZoneId.of("Asia/Kolkata");
    static final MessageId PROPOSAL = MessageId.parse("3f2a91c0" + "0".repeat(24));
    static final MessageId NOTE = MessageId.parse("77aa0011" + "0".repeat(24));
    /** India's proposal of 16:58 IST, as India's console holds it (sent). */
    static final MessageItem INDIAS_PROPOSAL = new MessageItem(MessageItem.Kind.SENT, Optional.of(PROPOSAL),
            Instant.parse("2026-05-10T11:28:00Z"), "India Prime Minister", "De-escalation",
            "We propose a cease-fire ...", true, "", Optional.of(DeliveryState.DELIVERED), false, 1);
    static final MessageItem PAKISTANS_NOTE = new MessageItem(MessageItem.Kind.RECEIVED, Optional.of(NOTE),
            Instant.parse("2026-05-10T11:40:00Z"), "Pakistan Prime Minister", "Free text", "A note.", true, "",
            Optional.empty(), false, 2);
    static final Map<String, ReferenceWording.Referenced> KNOWN = Map.of(
            "3f2a91c0", new ReferenceWording.Referenced(INDIAS_PROPOSAL, Optional.of("Cease-fire along the Line of Control")),
            "77aa0011", new ReferenceWording.Referenced(PAKISTANS_NOTE, Optional.empty()));

    static MessageItem received(String text) {
        return new MessageItem(MessageItem.Kind.RECEIVED, Optional.of(MessageId.parse("11".repeat(16))),
                Instant.parse("2026-05-10T11:45:00Z"), "Pakistan Prime Minister", "De-escalation", text, true, "",
                Optional.empty(), false, 3);
    }

    static String shown(MessageItem item, boolean signal) {
        return ReferenceWording.of(item, signal, p -> Optional.ofNullable(KNOWN.get(p)), IST, "IST");
    }

    @Test
    void theOtherSidesReferenceToOurMessage_readsAsYourTitledMessageOfItsTime() {
        assertThat(shown(received("We accept the cease-fire proposed in message 3f2a91c0."), true))
                .isEqualTo("We accept the cease-fire proposed in your \u201cCease-fire along the Line of Control\u201d of 16:58 IST.");
    }

    @Test
    void aReferenceToTheSpeakersOwnMessage_isOurs_andFreeTextHasNoTitle() {
        assertThat(shown(received("See message 77aa0011."), true)).isEqualTo("See our message of 17:10 IST.");
    }

    @Test
    void anUnknownReference_orFreeText_staysAsWritten() {
        assertThat(shown(received("See message deadbeef."), true)).isEqualTo("See message deadbeef.");
        assertThat(shown(received("Re message 3f2a91c0, as typed."), false)).isEqualTo("Re message 3f2a91c0, as typed.");
    }
    static final ZoneId PKT = ZoneId.of("Asia/Karachi");

    @Test
    void hindi_namesTheMessageByItsHindiTitleAndTime_noHexLeft() {
        var hindi = Map.of("3f2a91c0", new ReferenceWording.Referenced(INDIAS_PROPOSAL,
                Optional.of("नियंत्रण रेखा पर युद्धविराम")));
        String text = "हम संदेश 3f2a91c0 में प्रस्तावित युद्धविराम स्वीकार करते हैं।";
        assertThat(ReferenceWording.inTranslation(received(text), text, "संदेश", false,
                p -> Optional.ofNullable(hindi.get(p)), IST, "IST"))
                .isEqualTo("हम संदेश \u201cनियंत्रण रेखा पर युद्धविराम\u201d (16:58 IST) में प्रस्तावित युद्धविराम स्वीकार करते हैं।")
                .doesNotContain("3f2a91c0");
    }

    @Test
    void urdu_putsTheZoneBeforeTheClock_andQuotesWithGuillemets_withoutBidiControls() {
        var urdu = Map.of("3f2a91c0", new ReferenceWording.Referenced(INDIAS_PROPOSAL,
                Optional.of("لائن آف کنٹرول پر جنگ بندی")));
        String text = "ہمیں پیغام 3f2a91c0 موصول ہو گیا ہے۔";
        assertThat(ReferenceWording.inTranslation(received(text), text, "پیغام", true,
                p -> Optional.ofNullable(urdu.get(p)), PKT, "PKT"))
                .isEqualTo("ہمیں پیغام \u00abلائن آف کنٹرول پر جنگ بندی\u00bb (PKT\u00a016:28) موصول ہو گیا ہے۔")
                .doesNotContainPattern("[0-9a-f]{8}|[\u200E\u200F\u202A-\u202E\u2066-\u2069]");
    }

    @Test
    void aTranslatedReference_toAnUnknownMessage_orWithoutATitle() {
        String text = "हम संदेश deadbeef और संदेश 77aa0011 देखते हैं।";
        assertThat(ReferenceWording.inTranslation(received(text), text, "संदेश", false,
                p -> Optional.ofNullable(KNOWN.get(p)), IST, "IST"))
                .isEqualTo("हम संदेश deadbeef और संदेश (17:10 IST) देखते हैं।");
    }
}
