package org.hotline.client.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.app.testing.RelayClients;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.ui.console.ConsoleViewModel;
import org.hotline.client.ui.console.MessageItem;
import org.hotline.client.ui.language.LanguageText;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: a console shows its reader's languages on the signals it sent too, not only on those it
 * received (India's seats read English and Hindi; free text is never translated).
 */
@Timeout(value = 40, unit = TimeUnit.SECONDS)
class SentTranslationsViewModelTest {

    @TempDir
    Path tmp;

    @Test
    void ownSentSignal_showsEnglishAndHindi_freeTextShowsItsTextAlone() throws Exception {
        try (RelayFixture relay = new RelayFixture(tmp, c -> c);
             HotlineClient india = RelayClients.open(relay, "in.pm", tmp.resolve("in.pm"))) {
            ConsoleViewModel vm = new ConsoleViewModel(india, Runnable::run,
                    Clock.fixed(Instant.parse("2026-05-10T14:00:00Z"), ZoneOffset.UTC));
            vm.bind();
            india.start();
            india.sendSignal("pk.pm", "posture.normal-readiness", Map.of("asOf", "2026-05-10T14:00Z"), Optional.empty(),
                    Optional.empty()).get(20, TimeUnit.SECONDS);
            india.sendText("pk.pm", "Noted.").get(20, TimeUnit.SECONDS);
            ViewModelTest.eventually(() -> assertThat(vm.conversation().stream()
                    .filter(r -> r.kind() == MessageItem.Kind.SENT)).hasSize(2));
            MessageItem signal = vm.conversation().stream().filter(r -> r.text().startsWith("Our strategic forces"))
                    .findFirst().orElseThrow();
            assertThat(vm.translationsOf(signal)).extracting(LanguageText::code).containsExactly("en", "hi");
            assertThat(vm.translationsOf(signal).get(1).text()).contains("\u0938\u093e\u092e\u0930\u093f\u0915");
            assertThat(vm.translationsOf(signal).get(1).needsReviewMark()).isTrue();
            MessageItem free = vm.conversation().stream().filter(r -> r.text().equals("Noted.")).findFirst().orElseThrow();
            assertThat(vm.translationsOf(free)).isEmpty();
        }
    }
}
