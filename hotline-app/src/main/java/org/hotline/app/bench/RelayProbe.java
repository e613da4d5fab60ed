package org.hotline.app.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The relay process under test, from the outside: jcmd for the heap, /proc for RSS and CPU time (Linux). */
final class RelayProbe {

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private RelayProbe() {
    }

    /** Heap in use right after a full GC (live data), in KiB; -1 if jcmd is unavailable. */
    static long heapUsedKib(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        Matcher m = USED.matcher(jcmd(pid, "GC.heap_info"));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Clock ticks of /proc/PID/stat (USER_HZ, 100 on Linux). */
    static final double TICKS_PER_SECOND = 100;

    /** CPU time a process has used so far, in user and kernel mode. */
    record CpuTicks(long user, long system) {
    }

    /** Zero ticks where /proc cannot be read (not Linux, process gone). */
    static CpuTicks cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new CpuTicks(Long.parseLong(f[11]), Long.parseLong(f[12]));
        } catch (IOException | RuntimeException e) {
            return new CpuTicks(0, 0);
        }
    }

    static long rssKib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
