package org.hotline.protocol.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class DisplaySafeTest {

    static final String HOSTILE = "ok\u001B[2J\u001B[31m\rLINE VERIFIED\nfake line \u202Egnp.exe\u009B\u2066x\u2069\u200F\u061C\u2028";

    @Test
    void line_escapesEveryControlAndMarksEveryBidiControl() {
        String safe = DisplaySafe.line(HOSTILE);
        assertThat(safe).isEqualTo("ok\\x1B[2J\\x1B[31m\\rLINE VERIFIED\\nfake line [U+202E]gnp.exe\\x9B[U+2066]x"
                + "[U+2069][U+200F][U+061C][U+2028]");
        assertThat(safe.codePoints()).allMatch(cp -> cp >= 0x20 && cp < 0x7F);
        assertThat(DisplaySafe.isSafeLine(safe)).isTrue();
        assertThat(DisplaySafe.isSafeLine(HOSTILE)).isFalse();
    }

    @Test
    void multiline_keepsLineBreaksOnly() {
        assertThat(DisplaySafe.multiline("a\nb\r\n\u202Ec\u0000")).isEqualTo("a\nb\\r\n[U+202E]c\\x00");
    }

    @Test
    void ordinaryTextInAnyScript_isUnchanged() {
        String text = "We propose a call at 16:00 UTC. \u00dcber \u6771\u4eac \u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd "
                + "\u00e9\u00e8 \ud83d\ude00 tab-free";
        assertThat(DisplaySafe.line(text)).isSameAs(text);
        assertThat(DisplaySafe.multiline("two\nlines")).isEqualTo("two\nlines");
    }
}
