package org.hotline.client.ui.console;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;

/**
 * The audible alert for a new message: two short tones, synthesised (no sound file to ship), played
 * on a daemon thread so the FX thread never waits for the sound card. A machine without audio
 * output simply stays silent; the banner, the title and the badge still show the message.
 */
public final class AlertSound implements Runnable {

    private static final float RATE = 22_050f;

    private final Executor player = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "alert-sound");
        t.setDaemon(true);
        return t;
    });
    private final byte[] samples = tones(new double[] {880, 660}, 0.18, 0.06);

    @Override
    public void run() {
        player.execute(this::play);
    }

    private void play() {
        AudioFormat format = new AudioFormat(RATE, 16, 1, true, false);
        try (SourceDataLine line = AudioSystem.getSourceDataLine(format)) {
            line.open(format);
            line.start();
            line.write(samples, 0, samples.length);
            line.drain();
        } catch (LineUnavailableException | IllegalArgumentException | SecurityException noAudio) {
            // No audio device (a server, a headless test): the visual alerts carry the message.
        }
    }

    /** 16-bit little-endian mono PCM: each tone {@code seconds} long with a short fade, then a pause. */
    static byte[] tones(double[] hertz, double seconds, double pause) {
        int perTone = (int) (RATE * seconds);
        int gap = (int) (RATE * pause);
        byte[] out = new byte[(perTone + gap) * hertz.length * 2];
        int at = 0;
        for (double f : hertz) {
            for (int i = 0; i < perTone; i++) {
                double fade = Math.min(1, Math.min(i, perTone - i) / (RATE * 0.01));
                short v = (short) (Math.sin(2 * Math.PI * f * i / RATE) * 12_000 * fade);
                out[at++] = (byte) v;
                out[at++] = (byte) (v >> 8);
            }
            at += gap * 2;
        }
        return out;
    }
}
