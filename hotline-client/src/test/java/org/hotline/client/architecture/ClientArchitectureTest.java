package org.hotline.client.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Boundaries of STYLE.md for the client: a headless core, output only from the CLI. */
class ClientArchitectureTest {

    static JavaClasses client;

    @BeforeAll
    static void load() {
        client = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.hotline.client");
    }

    @Test
    void core_importsNoJavaFx() {
        noClasses().that().resideInAPackage("org.hotline.client.core..").should().dependOnClassesThat()
                .resideInAPackage("javafx..").check(client);
    }

    @Test
    void core_doesNotDependOnTheRelay() {
        noClasses().that().resideInAPackage("org.hotline.client.core..").should().dependOnClassesThat()
                .resideInAPackage("org.hotline.server..").check(client);
    }

    @Test
    void engine_importsNoNettyAndNoJdbc() {
        noClasses().that().resideInAPackage("org.hotline.client.core.engine..").should().dependOnClassesThat()
                .resideInAnyPackage("io.netty..", "java.sql..")
                .because("engine components are unit-tested with a fake connection and in-memory stores; the "
                        + "network lives in core.net and SQLite in core.store, behind small interfaces")
                .check(client);
    }

    @Test
    void onlyCli_printsToStdout() {
        noClasses().that().resideOutsideOfPackage("org.hotline.client.cli..").should()
                .accessField(System.class, "out").check(client);
    }
}
