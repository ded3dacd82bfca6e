package wgan.train;

import wgan.io.AtomicFiles;
import wgan.io.FileErrors;
import wgan.io.FileFormatException;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * {@code log.csv}: one row per iteration. A GAN's ({@link Row}) has the critic's losses on real
 * (c1) and fake (c2) images, the generator's loss (g), the Wasserstein estimate -(c1+c2), the
 * gradient penalty (gp, 0 without one) and the seconds the iteration took; an autoencoder's has
 * its own {@link Columns} ({@link AutoencoderTrainer.Row}). Rows are flushed as they are written,
 * so a killed run loses none.
 */
public final class LossLog<R extends LossLog.Entry> implements AutoCloseable {
    static final String HEADER = "iteration,c1,c2,g,wasserstein,gp,seconds";

    /** One row of the log, of any kind of run. */
    public interface Entry {
        int iteration();

        double seconds();

        /** Whether every loss is a finite number. */
        boolean finite();

        /** The line printed per iteration without a progress bar. */
        String line();

        /** The losses after the progress bar. */
        String progress();

        /** The losses as {@code name=value, ...}, for the message on a non-finite one. */
        String values();

        /** The row as log.csv writes it. */
        String csv();
    }

    /** A kind of log: its header line and how a row is read back. */
    public record Columns<R extends Entry>(String header, Function<String, R> parse) {}

    /** The GAN's log. */
    public static final Columns<Row> GAN = new Columns<>(HEADER, Row::parse);

    /**
     * One iteration's losses, as the reference prints them: {@code >i, c1=..., c2=... g=...}, and
     * {@code gp=...} after them when a penalty was added. c1, c2 and gp are means over the
     * iteration's critic updates.
     */
    public record Row(int iteration, double c1, double c2, double g, double gp, double seconds) implements Entry {
        public double wasserstein() {
            return -(c1 + c2);
        }

        @Override
        public boolean finite() {
            return Double.isFinite(c1) && Double.isFinite(c2) && Double.isFinite(g) && Double.isFinite(gp);
        }

        @Override
        public String line() {
            String line = String.format(Locale.ROOT, ">%d, c1=%.3f, c2=%.3f g=%.3f", iteration, c1, c2, g);
            return gp == 0 ? line : line + String.format(Locale.ROOT, " gp=%.3f", gp);
        }

        @Override
        public String progress() {
            return String.format(Locale.ROOT, " c1=%.3f c2=%.3f g=%.3f W=%.3f", c1, c2, g, wasserstein());
        }

        @Override
        public String values() {
            return String.format(Locale.ROOT, "c1=%s, c2=%s, g=%s, gp=%s", c1, c2, g, gp);
        }

        @Override
        public String csv() {
            return String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.4f", iteration, c1, c2, g, wasserstein(), gp, seconds);
        }

        static Row parse(String line) {
            String[] f = line.split(",");
            return new Row(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[5]), Double.parseDouble(f[6]));
        }
    }

    private final BufferedWriter out;
    private final List<R> rows;
    private final int droppedRows;
    private final boolean tornRowDropped;

    private LossLog(BufferedWriter out, List<R> rows, int droppedRows, boolean tornRowDropped) {
        this.out = out;
        this.rows = rows;
        this.droppedRows = droppedRows;
        this.tornRowDropped = tornRowDropped;
    }

    /**
     * Opens the log of a run whose last checkpoint is at {@code lastIteration}: rows after it are
     * dropped (they will be computed again, identically), so the log matches the weights. So is a
     * last row without its newline, which a full disk or a kill cut short.
     */
    public static LossLog<Row> open(Path file, int lastIteration) throws IOException {
        return open(file, lastIteration, GAN);
    }

    /** {@link #open(Path, int)} for a log of these columns. */
    public static <R extends Entry> LossLog<R> open(Path file, int lastIteration, Columns<R> columns) throws IOException {
        List<R> rows = new ArrayList<>();
        // Kept rows are copied as written: re-formatting parsed values could change a last digit.
        StringBuilder kept = new StringBuilder(columns.header()).append('\n');
        int dropped = 0;
        boolean torn = false;
        if (Files.exists(file)) {
            // Split on '\n' with trailing parts kept: the last part is what follows the last newline.
            String[] lines = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 1; i < lines.length; i++) {
                if (lines[i].isBlank()) continue;
                if (i == lines.length - 1) {
                    dropped++;
                    torn = true;
                    continue;
                }
                R r;
                try {
                    r = columns.parse().apply(lines[i]);
                } catch (RuntimeException e) {
                    throw new FileFormatException(file, "line " + (i + 1) + " is not a loss row: " + lines[i], e);
                }
                if (r.iteration() > lastIteration) {
                    dropped++;
                    continue;
                }
                rows.add(r);
                kept.append(lines[i]).append('\n');
            }
        }
        AtomicFiles.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(
                FileErrors.naming(file, Files.newOutputStream(file, StandardOpenOption.APPEND)), StandardCharsets.UTF_8));
        return new LossLog<>(out, rows, dropped, torn);
    }

    /** Rows that {@link #open} dropped: past the last checkpoint, or cut short. */
    public int droppedRows() {
        return droppedRows;
    }

    /** Whether one of them was a last row cut short. */
    public boolean tornRowDropped() {
        return tornRowDropped;
    }

    public void append(R row) throws IOException {
        rows.add(row);
        out.write(row.csv());
        out.write('\n');
        out.flush();
    }

    /** Every row so far, oldest first. */
    public List<R> rows() {
        return List.copyOf(rows);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
