package wgan.data;

import java.io.Console;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A download's progress as a bar on the terminal: bytes, speed and time left. */
final class DownloadBar implements Download.Progress {
    private ProgressBar bar;

    /** A bar where stderr's process has a console, otherwise nothing (the log lines say enough in a file or CI). */
    static Download.Progress onTerminal() {
        Console console = System.console();
        return console != null ? new DownloadBar() : Download.Progress.NONE;
    }

    @Override
    public void start(String file, long done, long total) {
        bar = new ProgressBarBuilder().setTaskName(file.replaceFirst("^\\.", "").replaceFirst("\\.part$", ""))
                .setInitialMax(total).startsFrom(done, java.time.Duration.ZERO).setStyle(ProgressBarStyle.ASCII)
                .setUnit(" MB", 1 << 20).showSpeed().setUpdateIntervalMillis(250).build();
    }

    @Override
    public void advance(long bytes) {
        bar.stepBy(bytes);
    }

    @Override
    public void end() {
        bar.close();
    }
}
