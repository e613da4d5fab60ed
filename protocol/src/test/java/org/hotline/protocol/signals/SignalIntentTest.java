package org.hotline.protocol.signals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Optional;
import org.hotline.protocol.wire.Content;
import org.hotline.protocol.wire.Intent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every signal's intent comes from its category, as data in the catalog (PROTOCOL.md §4.2, Intent). */
@Timeout(10)
class SignalIntentTest {

    private final SignalCatalog catalog = SignalCatalog.builtIn();

    @Test
    void everyCategory_hasAnIntent_andEverySignalGetsItsCategorysIntent() {
        for (String category : catalog.categories()) {
            assertThat(catalog.intentOf(category)).isNotNull();
        }
        for (Signal s : catalog.signals()) {
            assertThat(catalog.intentOf(Content.Signal.of(s.id(), Map.of()))).contains(catalog.intentOf(s.category()));
        }
        assertThat(catalog.intentOf("nuclear-posture")).isEqualTo(Intent.REASSURE);
        assertThat(catalog.intentOf("clarification")).isEqualTo(Intent.REQUEST);
        assertThat(catalog.intentOf("acknowledgement")).isEqualTo(Intent.ACKNOWLEDGE);
    }

    @Test
    void freeText_hasTheSignedIntent_orNone() {
        assertThat(catalog.intentOf(new Content.Text("x", Intent.WARN))).contains(Intent.WARN);
        assertThat(catalog.intentOf(new Content.Text("x"))).isEmpty();
        assertThat(catalog.intentOf(new Content.LinkTest(1))).isEqualTo(Optional.empty());
    }

    @Test
    void categoryWithoutAKnownIntent_isRefusedWhenLoaded() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(SignalCatalog.class.getResourceAsStream(
                "/org/hotline/protocol/signals/catalog.json"));
        ((ObjectNode) root.withArray("categories").get(0)).put("intent", "threaten");
        assertThatThrownBy(() -> SignalCatalog.parse(root)).hasMessageContaining("no known intent");
    }
}
