package org.hotline.app.bench;

/**
 * CPU time and peak resident memory of the relay process during a load run, from /proc (Linux):
 * CPU ticks at {@link #start()} and {@link #stop()}, and RSS sampled every 200 ms in between on
 * its own daemon thread ({@code bench-sampler}).
 */
final class ProcessSampler {

    final long pid;
    private volatile RelayProbe.CpuTicks start;
    private volatile RelayProbe.CpuTicks end;
    private volatile long peakRss;
    private Thread thread;
    private volatile boolean running = true;

    ProcessSampler(long pid) {
        this.pid = pid;
    }

    void start() {
        start = RelayProbe.cpuTicks(pid);
        thread = new Thread(() -> {
            while (running) {
                peakRss = Math.max(peakRss, RelayProbe.rssKib(pid));
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        end = RelayProbe.cpuTicks(pid);
        running = false;
    }

    double cpuSeconds() {
        return (end.user() + end.system() - start.user() - start.system()) / RelayProbe.TICKS_PER_SECOND;
    }

    /** The part of {@link #cpuSeconds} spent in the kernel (system calls: sockets, fsync). */
    double systemCpuSeconds() {
        return (end.system() - start.system()) / RelayProbe.TICKS_PER_SECOND;
    }

    long peakRssKib() {
        return peakRss;
    }
}
