package org.hotline.app.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.hotline.app.HotlineMain;
import org.hotline.app.cli.ExitCodes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public command-line contract of {@code hotline pki}: outputs, one-line errors and exit codes. */
class PkiCommandTest {

    record Run(int exit, String out, String err) {
    }

    static Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = HotlineMain.run(args, env, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    static final Map<String, String> PASS = Map.of("HOTLINE_PASSPHRASE", "exercise-pass");

    @TempDir
    static Path tmp;
    static Path exercise;

    @BeforeAll
    static void init() {
        exercise = tmp.resolve("ex");
        Run r = run(PASS, "pki", "init", exercise.toString());
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void init_printsTheExerciseSummary() {
        assertThat(exercise.resolve("roles/pk.nsa.p12")).exists();
        assertThat(exercise.resolve("passphrases.txt")).doesNotExist();
    }

    @Test
    void init_withoutPassphrase_generatesThemAndSaysWhereOnStderr() {
        Run r = run(Map.of(), "pki", "init", tmp.resolve("gen").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("created exercise").contains("leaders = {in.pm, pk.pm}");
        assertThat(r.err()).contains("passphrases.txt").contains("0600").doesNotContain("Exception");
        assertThat(tmp.resolve("gen/passphrases.txt")).exists();
    }

    @Test
    void init_withSharedPassphrase_saysSoInOneStderrLine_andWritesHandoutPacks() throws Exception {
        Run r = run(PASS, "pki", "init", tmp.resolve("shared").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err().strip()).isEqualTo(
                "hotline: HOTLINE_PASSPHRASE is set: one passphrase protects every credential");
        assertThat(r.out()).contains("hand-out: " + tmp.resolve("shared/handout"));
        assertThat(Files.readString(tmp.resolve("shared/handout/pk.pm/README.txt")))
                .contains("One passphrase protects every credential").doesNotContain("exercise-pass");
    }

    @Test
    void init_withoutPassphrase_handoutSheetsSayThePassphraseComesSeparately() throws Exception {
        Run r = run(Map.of(), "pki", "init", tmp.resolve("per-role").toString());
        assertThat(r.exit()).isZero();
        assertThat(r.err()).doesNotContain("one passphrase protects every credential");
        for (String role : new String[] {"in.pm", "pk.pm", "in.nsa", "pk.nsa"}) {
            Path pack = tmp.resolve("per-role/handout").resolve(role);
            assertThat(pack.resolve("roles/" + role + ".p12")).exists();
            assertThat(Files.readString(pack.resolve("README.txt")))
                    .contains("the facilitator hands it to you separately");
        }
    }

    @Test
    void init_intoExistingExercise_isExit3WithOneLine() {
        Run r = run(PASS, "pki", "init", exercise.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.AUTH_OR_PKI);
        assertThat(r.err().strip()).contains("not empty").doesNotContain("\n").doesNotContain("at org.");
    }

    @Test
    void init_unknownTemplate_isUsageError() {
        Run r = run(PASS, "pki", "init", tmp.resolve("t").toString(), "--template", "arctic");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("unknown template 'arctic'");
    }

    @Test
    void missingArgument_isUsageError() {
        Run r = run(PASS, "pki", "revoke", exercise.toString());
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("Missing required parameter: 'ROLE'");
    }

    @Test
    void revoke_wrongPassphrase_isExit3() {
        Run r = run(Map.of("HOTLINE_PASSPHRASE", "wrong"), "pki", "revoke", exercise.toString(), "in.pm");
        assertThat(r.exit()).isEqualTo(ExitCodes.AUTH_OR_PKI);
        assertThat(r.err()).contains("wrong passphrase for CA credential").doesNotContain("Exception");
    }

    @Test
    void revoke_unknownRole_isExit3() {
        Run r = run(PASS, "pki", "revoke", exercise.toString(), "us.pres");
        assertThat(r.exit()).isEqualTo(ExitCodes.AUTH_OR_PKI);
        assertThat(r.err()).contains("unknown role 'us.pres'");
    }

    @Test
    void revoke_thenReissue_rotatesTheRole() throws Exception {
        Run revoke = run(PASS, "pki", "revoke", exercise.toString(), "pk.nsa");
        assertThat(revoke.exit()).isZero();
        assertThat(revoke.out()).contains("revoked 2 certificate(s) of pk.nsa");
        String crlBefore = Files.readString(exercise.resolve("crl.pem"));
        Run reissue = run(PASS, "pki", "reissue", exercise.toString(), "pk.nsa");
        assertThat(reissue.exit()).as(reissue.err()).isZero();
        assertThat(Files.readString(exercise.resolve("crl.pem"))).isNotEqualTo(crlBefore);
    }

    @Test
    void version_andHelp_exitZero() {
        assertThat(run(PASS, "--version").out()).startsWith("hotline ");
        Run help = run(PASS, "pki", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("init").contains("revoke").contains("reissue");
    }

    @Test
    void debugFlag_addsTheStackTrace() {
        Run r = run(PASS, "pki", "init", exercise.toString(), "--debug");
        assertThat(r.exit()).isEqualTo(ExitCodes.AUTH_OR_PKI);
        assertThat(r.err()).contains("at org.hotline");
    }
}
