package org.hotline.protocol.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module boundaries of STYLE.md, as tests. */
class ArchitectureTest {

    static JavaClasses protocol;

    @BeforeAll
    static void importClasses() {
        protocol = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.hotline.protocol");
    }

    @Test
    void protocol_importsNoJavaFx() {
        noClasses().should().dependOnClassesThat().resideInAPackage("javafx..").check(protocol);
    }

    @Test
    void onlyTransport_usesNetty() {
        noClasses().that().resideOutsideOfPackage("org.hotline.protocol.transport..")
                .should().dependOnClassesThat().resideInAPackage("io.netty..").check(protocol);
    }

    @Test
    void onlyCryptoInternal_touchesBouncyCastlesLowLevelCrypto() {
        noClasses().that().resideOutsideOfPackage("org.hotline.protocol.crypto.internal..")
                .should().dependOnClassesThat().resideInAnyPackage("org.bouncycastle.crypto..",
                        "org.bouncycastle.pqc..", "org.bouncycastle.math..")
                .check(protocol);
    }

    @Test
    void onlyCrypto_touchesCryptoInternal() {
        noClasses().that().resideOutsideOfPackage("org.hotline.protocol.crypto..")
                .should().dependOnClassesThat().resideInAPackage("org.hotline.protocol.crypto.internal..")
                .because("the adapters behind the crypto facade may change; pki and the rest use the public "
                        + "API of crypto, KeyFormats for key containers")
                .check(protocol);
    }

    @Test
    void wire_doesNotDependOnCryptoOrPki() {
        noClasses().that().resideInAPackage("org.hotline.protocol.wire..")
                .should().dependOnClassesThat().resideInAnyPackage("org.hotline.protocol.crypto..",
                        "org.hotline.protocol.pki..", "org.bouncycastle..")
                .check(protocol);
    }

    @Test
    void protocol_neverPrintsToStdout() {
        noClasses().should().accessField(System.class, "out").check(protocol);
    }
}
