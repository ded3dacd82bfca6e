package wgan.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code log.csv}: one row per iteration with the critic's losses on real (c1) and fake (c2)
 * images, the generator's loss (g), the Wasserstein estimate -(c1+c2), the gradient penalty (gp,
 * 0 without one) and the seconds the iteration took. Rows are flushed as they are written, so a killed run loses none.
 */
public final class LossLog implements AutoCloseable {
    static final String HEADER = "iteration,c1,c2,g,wasserstein,gp,seconds";

    /**
     * One iteration's losses, as the reference prints them: {@code >i, c1=..., c2=... g=...}, and
     * {@code gp=...} after them when a penalty was added. c1, c2 and gp are means over the
     * iteration's critic updates.
     */
    public record Row(int iteration, double c1, double c2, double g, double gp, double seconds) {
        public double wasserstein() {
            return -(c1 + c2);
        }

        public boolean finite() {
            return Double.isFinite(c1) && Double.isFinite(c2) && Double.isFinite(g) && Double.isFinite(gp);
        }

        public String line() {
            String line = String.format(Locale.ROOT, ">%d, c1=%.3f, c2=%.3f g=%.3f", iteration, c1, c2, g);
            return gp == 0 ? line : line + String.format(Locale.ROOT, " gp=%.3f", gp);
        }

        String csv() {
            return String.format(Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.4f", iteration, c1, c2, g, wasserstein(), gp, seconds);
        }

        static Row parse(String line) {
            String[] f = line.split(",");
            return new Row(Integer.parseInt(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[5]), Double.parseDouble(f[6]));
        }
    }

    private final BufferedWriter out;
    private final List<Row> rows;

    private LossLog(BufferedWriter out, List<Row> rows) {
        this.out = out;
        this.rows = rows;
    }

    /**
     * Opens the log of a run whose last checkpoint is at {@code lastIteration}: rows after it are
     * dropped (they will be computed again, identically), so the log matches the weights.
     */
    public static LossLog open(Path file, int lastIteration) throws IOException {
        List<Row> rows = new ArrayList<>();
        // Kept rows are copied as written: re-formatting parsed values could change a last digit.
        StringBuilder kept = new StringBuilder(HEADER).append('\n');
        if (Files.exists(file)) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 1; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) continue;
                try {
                    Row r = Row.parse(lines.get(i));
                    if (r.iteration() > lastIteration) continue;
                    rows.add(r);
                    kept.append(lines.get(i)).append('\n');
                } catch (RuntimeException e) {
                    throw new IOException(file + " line " + (i + 1) + " is not a loss row: " + lines.get(i), e);
                }
            }
        }
        wgan.io.AtomicFiles.write(file, kept.toString().getBytes(StandardCharsets.UTF_8));
        BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        return new LossLog(out, rows);
    }

    public void append(Row row) throws IOException {
        rows.add(row);
        out.write(row.csv());
        out.write('\n');
        out.flush();
    }

    /** Every row so far, oldest first. */
    public List<Row> rows() {
        return List.copyOf(rows);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
