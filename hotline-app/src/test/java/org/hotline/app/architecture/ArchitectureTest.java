package org.hotline.app.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module and package boundaries of every Hotline module, each with its reason, in one place. It
 * lives in hotline-app because that is the one module that sees the main classes of all the others.
 */
class ArchitectureTest {

    static JavaClasses hotline;

    @BeforeAll
    static void importClasses() {
        // Main classes only: not this module's tests, and not the test fixtures other modules publish as
        // test jars (RelayFixture and friends are test code, whatever the build phase puts on the class path).
        hotline = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("org.hotline");
    }

    @Test
    void client_doesNotDependOnTheServer() {
        noClasses().that().resideInAPackage("org.hotline.client..")
                .should().dependOnClassesThat().resideInAPackage("org.hotline.server..")
                .because("the desktop client and the relay are released and changed independently; only hotline-app, "
                        + "the command line, puts them together (the build enforces the same for the modules)")
                .check(hotline);
    }

    @Test
    void server_doesNotDependOnTheClient() {
        noClasses().that().resideInAPackage("org.hotline.server..")
                .should().dependOnClassesThat().resideInAPackage("org.hotline.client..")
                .because("the relay is a separate process that must run on a server without JavaFX or the client engine")
                .check(hotline);
    }

    @Test
    void onlyTheApp_dependsOnTheApp() {
        noClasses().that().resideOutsideOfPackage("org.hotline.app..")
                .should().dependOnClassesThat().resideInAPackage("org.hotline.app..")
                .because("hotline-app is the top of the module graph: the command line calls into the engines, never the "
                        + "other way round")
                .check(hotline);
    }

    @Test
    void protocol_dependsOnNeitherEnd() {
        noClasses().that().resideInAPackage("org.hotline.protocol..")
                .should().dependOnClassesThat().resideInAnyPackage("org.hotline.client..", "org.hotline.server..",
                        "org.hotline.app..")
                .because("the protocol is the shared contract of both ends (PROTOCOL.md); it cannot know either of them")
                .check(hotline);
    }

    @Test
    void protocol_importsNoJavaFx() {
        noClasses().that().resideInAPackage("org.hotline.protocol..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .because("the relay and the command-line tools use the protocol on machines without a display")
                .check(hotline);
    }

    @Test
    void protocol_usesNettyOnlyInTransport() {
        noClasses().that().resideInAPackage("org.hotline.protocol..")
                .and().resideOutsideOfPackage("org.hotline.protocol.transport..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .because("frames, crypto and the audit log are plain values and functions, testable without a network; "
                        + "transport is the one frame codec both ends install in their pipelines")
                .check(hotline);
    }

    @Test
    void onlyCryptoInternal_touchesBouncyCastlesLowLevelCrypto() {
        noClasses().that().resideInAPackage("org.hotline.protocol..")
                .and().resideOutsideOfPackage("org.hotline.protocol.crypto.internal..")
                .should().dependOnClassesThat().resideInAnyPackage("org.bouncycastle.crypto..",
                        "org.bouncycastle.pqc..", "org.bouncycastle.math..")
                .because("raw primitives are easy to misuse; crypto's small typed API is the only way to them")
                .check(hotline);
    }

    @Test
    void onlyCrypto_usesCryptoInternal() {
        noClasses().that().resideOutsideOfPackage("org.hotline.protocol.crypto..")
                .should().dependOnClassesThat().resideInAPackage("org.hotline.protocol.crypto.internal..")
                .because("crypto.internal holds the BouncyCastle/JCA adapters behind crypto's public API; pki and the "
                        + "engines get key formats through a public API instead")
                .check(hotline);
    }

    @Test
    void wire_doesNotDependOnCryptoOrPki() {
        noClasses().that().resideInAPackage("org.hotline.protocol.wire..")
                .should().dependOnClassesThat().resideInAnyPackage("org.hotline.protocol.crypto..",
                        "org.hotline.protocol.pki..", "org.bouncycastle..")
                .because("the wire format only carries bytes; signatures are checked over the exact bytes that were "
                        + "parsed, by crypto, not by the decoder")
                .check(hotline);
    }

    @Test
    void clientCore_importsNoJavaFx() {
        noClasses().that().resideInAPackage("org.hotline.client.core..")
                .should().dependOnClassesThat().resideInAPackage("javafx..")
                .because("the client engine is headless: the send and listen commands, the demo and the load generator "
                        + "run it without a display")
                .check(hotline);
    }

    @Test
    void clientEngine_importsNoNettyAndNoJdbc() {
        noClasses().that().resideInAPackage("org.hotline.client.core.engine..").should().dependOnClassesThat()
                .resideInAnyPackage("io.netty..", "java.sql..")
                .because("engine components are unit-tested with a fake connection and in-memory stores; the "
                        + "network lives in core.net and SQLite in core.store, behind small interfaces")
                .check(hotline);
    }

    @Test
    void relayLogicAndStore_importNoNetty() {
        noClasses().that().resideInAnyPackage("org.hotline.server.relay..", "org.hotline.server.store..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..")
                .because("relay decisions and durable storage are tested without sockets; only server.net speaks Netty")
                .check(hotline);
    }

    @Test
    void views_reachTheEngineOnlyThroughViewModels() {
        noClasses().that().resideInAPackage("org.hotline.client.ui..").and().haveNameMatching(".*View(\\$.*)?")
                .should().dependOnClassesThat().resideInAPackage("org.hotline.client.core..")
                .because("views only bind to view models, which are tested without the toolkit")
                .check(hotline);
    }

    @Test
    void onlyTheCommandLine_printsToTheStandardStreams() {
        noClasses().that().resideOutsideOfPackage("org.hotline.app..")
                .should().accessField(System.class, "out")
                .orShould().accessField(System.class, "err")
                .because("stdout is the commands' output (ready line, message ids, JSON) and stderr their one-line "
                        + "errors; the engines report through listeners and the logger")
                .check(hotline);
    }
}
