package wgan.train;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.Console;
import java.io.PrintStream;
import java.time.Duration;

/**
 * How a run shows its progress: on a terminal, a bar with iteration, it/s, ETA and the latest
 * losses; otherwise (a log file, CI) or with --verbose, the reference's line per iteration.
 */
abstract class Progress implements AutoCloseable {

    abstract void update(LossLog.Entry row);

    /** Prints a line of its own (a quality measurement, a warning) without breaking the progress display. */
    abstract void note(String line);

    @Override
    public abstract void close();

    static Progress create(int start, int total, boolean verbose, PrintStream out) {
        return verbose || !isTerminal() ? new Lines(out) : new Bar(start, total);
    }

    /** Whether stdout is a terminal; Console.isTerminal() exists from JDK 22, before that a console means one. */
    private static boolean isTerminal() {
        Console console = System.console();
        if (console == null) return false;
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    private static final class Lines extends Progress {
        private final PrintStream out;

        Lines(PrintStream out) {
            this.out = out;
        }

        @Override
        void update(LossLog.Entry row) {
            out.println(row.line());
        }

        @Override
        void note(String line) {
            out.println(line);
        }

        @Override
        public void close() {
            out.flush();
        }
    }

    private static final class Bar extends Progress {
        private final ProgressBar bar;
        private boolean closed;

        Bar(int start, int total) {
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(total).startsFrom(start, Duration.ZERO)
                    .setStyle(ProgressBarStyle.ASCII).setUnit(" it", 1).showSpeed(new java.text.DecimalFormat("0.00")).setUpdateIntervalMillis(500)
                    .continuousUpdate().build();
        }

        @Override
        void update(LossLog.Entry row) {
            bar.stepTo(row.iteration());
            bar.setExtraMessage(row.progress());
        }

        /**
         * On the bar's own stream (stderr). On a terminal the bar is drawn on the line above the
         * cursor (up one line, draw, down one line), so the note replaces it there (ANSI cursor up
         * and erase line) and leaves an empty line below, where the bar draws itself at its next update.
         */
        @Override
        void note(String line) {
            System.err.print("\033[1A\r\033[2K" + line + "\n\n");
            System.err.flush();
        }

        /** Idempotent: a run that stops early closes the bar before printing why, and again on the way out. */
        @Override
        public void close() {
            if (closed) return;
            closed = true;
            bar.close();
        }
    }
}
