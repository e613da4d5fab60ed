package org.hotline.client.ui;

import org.hotline.app.testing.RelayClients;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.hotline.client.core.HotlineClient;
import org.hotline.client.core.LinkStatus;
import org.hotline.client.ui.audit.AuditViewModel;
import org.hotline.client.ui.compose.ComposeViewModel;
import org.hotline.client.ui.console.ConsoleViewModel;
import org.hotline.client.ui.console.LinkState;
import org.hotline.client.ui.console.MessageItem;
import org.hotline.server.testing.RelayFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** View models without the JavaFX toolkit: real client cores through a real relay, a direct executor for "UI". */
class ViewModelTest {

    @TempDir
    Path tmp;
    RelayFixture relay;
    HotlineClient india;
    HotlineClient pakistan;
    final Clock clock = Clock.fixed(Instant.parse("2026-05-10T14:00:00Z"), ZoneOffset.UTC);

    HotlineClient core(String role) throws Exception {
        return RelayClients.open(relay, role, tmp.resolve(role));
    }

    @BeforeEach
    void start() throws Exception {
        relay = new RelayFixture(tmp, c -> c);
        india = core("in.pm");
        pakistan = core("pk.pm");
    }

    @AfterEach
    void stop() {
        india.close();
        pakistan.close();
        relay.close();
    }

    static void eventually(Runnable assertion) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        AssertionError last = null;
        while (System.nanoTime() < deadline) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                last = e;
                Thread.sleep(30);
            }
        }
        throw last;
    }

    @Test
    void console_titleIdentityClocksAndChannels() {
        ConsoleViewModel vm = new ConsoleViewModel(india, Runnable::run, clock);
        assertThat(vm.titleProperty().get()).isEqualTo("Hotline \u2014 India Prime Minister");
        assertThat(vm.clocks()).containsExactly("IST 19:30:00", "PKT 19:00:00", "UTC 14:00:00");
        // The south-asia template also gives every participant a private channel with exercise control,
        // and each party's PM and NSA a channel of their own (escalation).
        assertThat(vm.channels()).hasSize(3);
        assertThat(vm.channels().get(0)).satisfies(c -> {
            assertThat(c.label()).isEqualTo("Leaders \u2014 Pakistan Prime Minister");
            assertThat(c.peerRole()).isEqualTo("pk.pm");
        });
        assertThat(vm.channels().get(1).peerRole()).isEqualTo("in.nsa");
        assertThat(vm.channels().get(2).peerRole()).isEqualTo("control");
        assertThat(vm.linkStateProperty().get()).isEqualTo(LinkState.CONNECTING);
    }

    @Test
    void console_linkStateFollowsTheCore_withAWordForEachState() {
        ConsoleViewModel vm = new ConsoleViewModel(india, Runnable::run, clock);
        Instant t = clock.instant();
        vm.linkStatusChanged(new LinkStatus(true, Optional.of(t.minusSeconds(4)), Optional.of(Duration.ofMillis(40)), false));
        vm.tick(t);
        assertThat(vm.linkStateProperty().get()).isEqualTo(LinkState.VERIFIED);
        assertThat(vm.linkTextProperty().get()).isEqualTo("line verified end to end 4 s ago (round trip 40 ms)");
        vm.linkStatusChanged(new LinkStatus(true, Optional.of(t.minusSeconds(70)), Optional.empty(), true));
        assertThat(vm.linkStateProperty().get()).isEqualTo(LinkState.DEGRADED);
        vm.linkStatusChanged(LinkStatus.down());
        assertThat(vm.linkStateProperty().get()).isEqualTo(LinkState.DOWN);
        assertThat(LinkState.DOWN.word()).isEqualTo("DOWN");
    }

    @Test
    void console_alarmForHostileFreeText_showsControlsAndBidiOverridesAsMarks() throws Exception {
        ConsoleViewModel vm = new ConsoleViewModel(india, Runnable::run, clock);
        vm.bind();
        india.start();
        pakistan.start();
        pakistan.send("in.pm", new org.hotline.protocol.wire.Content.Text("ok\u001B[2J\rLINE\nVERIFIED \u202Ecod"),
                Optional.empty(), Optional.empty()).get();
        eventually(() -> assertThat(vm.alarmProperty().get()).isTrue());
        assertThat(vm.alarmTextProperty().get()).doesNotContain("\u001B").doesNotContain("\r").doesNotContain("\n")
                .doesNotContain("\u202E").contains("ok\\x1B[2J\\rLINE\\nVERIFIED [U+202E]cod");
    }

    @Test
    void console_incomingMessage_raisesTheAlarm_countsUnread_andAcknowledgeReachesTheSender() throws Exception {
        ConsoleViewModel vm = new ConsoleViewModel(india, Runnable::run, clock);
        vm.bind();
        india.start();
        pakistan.start();
        var id = pakistan.sendSignal("in.pm", "posture.normal-readiness", java.util.Map.of("asOf", "2026-05-10T14:00Z"),
                Optional.empty(), Optional.empty()).get();
        eventually(() -> assertThat(vm.alarmProperty().get()).isTrue());
        assertThat(vm.alarmTextProperty().get()).startsWith("NEW MESSAGE from Pakistan Prime Minister");
        assertThat(vm.channels().get(0).unread()).isEqualTo(1);
        MessageItem row = vm.conversation().stream().filter(MessageItem::canAcknowledge).findFirst().orElseThrow();
        assertThat(row.verified()).isTrue();
        assertThat(row.categoryLabel()).isEqualTo("Nuclear posture");
        vm.openAlarm();
        assertThat(vm.alarmProperty().get()).isFalse();
        assertThat(vm.channels().get(0).unread()).isZero();
        vm.acknowledge(row);
        eventually(() -> assertThat(vm.conversation()).anyMatch(r -> r.acknowledged()));
        eventually(() -> {
            try {
                assertThat(pakistan.sentMessages().get()).singleElement().extracting(s -> s.state().label())
                        .isEqualTo("acknowledged");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat(id).isNotNull();
    }

    @Test
    void console_problemShowsWithItsTime_andClearsAfterTenMinutes() {
        ConsoleViewModel vm = new ConsoleViewModel(india, Runnable::run, clock);
        vm.problem("Another console signed in as in.pm has taken the line.");
        assertThat(vm.lastProblemProperty().get()).isEqualTo("14:00:00 UTC  Another console signed in as in.pm has taken the line.");
        vm.tick(clock.instant().plusSeconds(599));
        assertThat(vm.lastProblemProperty().get()).isNotEmpty();
        vm.tick(clock.instant().plusSeconds(601));
        assertThat(vm.lastProblemProperty().get()).isEmpty();
    }

    @Test
    void compose_validatesFields_andPreviewsTheExactWords() {
        ComposeViewModel vm = new ComposeViewModel(india, () -> "pk.pm", clock);
        vm.searchProperty().set("peacetime");
        assertThat(vm.signals()).extracting(s -> s.id()).contains("posture.normal-readiness");
        vm.selectedProperty().set(india.catalog().find("posture.normal-readiness").orElseThrow());
        assertThat(vm.fields()).singleElement().satisfies(f -> assertThat(f.name()).isEqualTo("asOf"));
        vm.fields().get(0).valueProperty().set("tomorrow");
        assertThat(vm.signalReadyProperty().get()).isFalse();
        assertThat(vm.fields().get(0).errorProperty().get()).contains("must be a UTC time");
        vm.fields().get(0).valueProperty().set("2026-05-10T14:00Z");
        assertThat(vm.signalReadyProperty().get()).isTrue();
        assertThat(vm.previewProperty().get()).isEqualTo("Our strategic forces remain at normal peacetime readiness "
                + "as of 10 May 2026 14:00 UTC (19:30 IST, 19:00 PKT).");
        vm.categoryProperty().set("Acknowledgement");
        assertThat(vm.signals()).isEmpty();
        vm.searchProperty().set("");
        assertThat(vm.signals()).allMatch(s -> s.category().equals("acknowledgement"));
    }

    @Test
    void compose_calmWordingCheck_warnsOnce_recordsIt_thenSends() throws Exception {
        india.start();
        ComposeViewModel vm = new ComposeViewModel(india, () -> "pk.pm", clock);
        vm.freeTextProperty().set("We will give a befitting reply.");
        vm.intentProperty().set(org.hotline.protocol.wire.Intent.WARN);
        assertThat(vm.findings()).singleElement().satisfies(f -> assertThat(f.phrase()).isEqualTo("befitting reply"));
        assertThat(vm.suggestedSignal()).isPresent();
        assertThat(vm.sendText()).isEmpty();
        assertThat(vm.warningShownProperty().get()).isTrue();
        assertThat(vm.statusProperty().get()).contains("Send again");
        assertThat(vm.sendText()).isPresent();
        eventually(() -> {
            try {
                assertThat(java.nio.file.Files.readString(india.auditLogFile())).contains("warning-shown")
                        .contains("befitting reply");
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        });
        vm.freeTextProperty().set("We will give a befitting reply.");
        vm.useSuggestion();
        assertThat(vm.selectedProperty().get()).isNotNull();
    }

    /** The audit tab reads and verifies on its background executor, applies rows on the UI executor. */
    @Test
    void audit_readsOffTheUiThread_andShowsOnlyWhatTheVerifierAccepted() throws Exception {
        india.start();
        india.sendText("pk.pm", "for the audit tab").get(15, TimeUnit.SECONDS);
        java.util.List<String> backgroundThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.List<String> uiThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.ExecutorService background = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> new Thread(r, "test-background"));
        try {
            AuditViewModel vm = new AuditViewModel(india, r -> {
                uiThreads.add(Thread.currentThread().getName());
                r.run();
            }, r -> background.execute(() -> {
                backgroundThreads.add(Thread.currentThread().getName());
                r.run();
            }));
            vm.verify().get(15, TimeUnit.SECONDS);
            assertThat(vm.resultProperty().get()).startsWith("Intact and authentic");
            assertThat(vm.rows()).anyMatch(r -> r.type().equals("message-sent")
                    && r.summary().equals("to control, pk.pm: for the audit tab")); // control observes leaders
            assertThat(vm.rows()).noneMatch(r -> r.type().equals("rejected"));
            assertThat(backgroundThreads).isNotEmpty().allMatch("test-background"::equals);
            assertThat(uiThreads).isNotEmpty();

            Path exported = tmp.resolve("exported.jsonl");
            vm.export(exported).get(15, TimeUnit.SECONDS);
            assertThat(java.nio.file.Files.readString(exported)).contains("for the audit tab");
        } finally {
            background.shutdownNow();
        }
    }

    /**
     * The audit tab showed entries after the last signed checkpoint like signed ones: rows from
     * the entry after the last checkpoint on are marked, and the tail is named in its own row.
     */
    @Test
    void audit_marksEntriesAfterTheLastCheckpointAsNotYetSigned() throws Exception {
        india.start();
        india.sendText("pk.pm", "signed by the verify").get(15, TimeUnit.SECONDS);
        AuditViewModel vm = new AuditViewModel(india, Runnable::run, Runnable::run);
        vm.verify().get(15, TimeUnit.SECONDS);
        india.sendText("pk.pm", "not signed yet").get(15, TimeUnit.SECONDS);
        vm.refresh().get(15, TimeUnit.SECONDS);
        AuditViewModel.Row signed = vm.rows().stream().filter(r -> r.summary().endsWith(": signed by the verify"))
                .findFirst().orElseThrow();
        AuditViewModel.Row unsigned = vm.rows().stream().filter(r -> r.summary().endsWith(": not signed yet"))
                .findFirst().orElseThrow();
        assertThat(signed.signed()).isTrue();
        assertThat(unsigned.signed()).isFalse();
        int lastCheckpoint = 0;
        for (int i = 0; i < vm.rows().size(); i++) {
            if (vm.rows().get(i).type().equals("checkpoint")) {
                lastCheckpoint = i;
            }
        }
        assertThat(vm.rows().subList(0, lastCheckpoint + 1)).allMatch(AuditViewModel.Row::signed);
        assertThat(vm.rows().subList(lastCheckpoint + 1, vm.rows().size())).noneMatch(AuditViewModel.Row::signed);
        assertThat(vm.rows()).anyMatch(r -> r.type().equals("unsigned tail"));
        assertThat(vm.rows()).noneMatch(r -> r.type().equals("rejected"));
    }
}
