package wgan.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.train.SmallMnist;
import wgan.train.SweepTable;

/**
 * {@code wgan sweep}: each run of a sweep is bitwise the same run trained alone with the same
 * settings and threads; the table sorts the runs by their best Fréchet distance and links their
 * reports; a wrong run name is bad input.
 */
class SweepCommandTest {
    /** The checkpoint files that hold a run's state. */
    static final List<String> CHECKPOINT_FILES = List.of("generator.safetensors", "critic.safetensors",
            "generator-optimizer.safetensors", "critic-optimizer.safetensors", "state.json");

    @TempDir
    Path tmp;

    private Path sweepFile(Path data) throws IOException {
        Path file = tmp.resolve("seeds.json");
        Files.writeString(file, "{\"data\": \"" + data + "\", \"iterations\": 4, \"batch\": 8, \"n-critic\": 2, \"checkpoint-every\": 3,"
                + " \"sweep\": {\"seed\": [11, 12]}}");
        return file;
    }

    @Test
    void eachRunIsBitwiseTheRunAloneAndTheTableSortsByBestDistance() throws IOException {
        Path data = SmallMnist.write(tmp.resolve("mnist"), false);
        Path file = sweepFile(data);
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(0, ReportCommandTest.wgan(out, err, "sweep", file.toString(), "--out", tmp.resolve("out").toString(), "--threads", "2"), err.toString());
        Path folder = tmp.resolve("out/sweep-seeds");
        assertTrue(out.toString().contains("Sweep run 2 of 2: 2-seed-12"), out.toString());

        Path aloneOut = tmp.resolve("alone");
        assertEquals(0, ReportCommandTest.wgan(out, err, "--data", data.toString(), "--iterations", "4", "--batch", "8", "--n-critic", "2",
                "--checkpoint-every", "3", "--seed", "12", "--out", aloneOut.toString(), "--threads", "2"), err.toString());
        Path alone = SmallMnist.onlyRun(aloneOut).resolve("checkpoints/iter-000004");
        for (String f : CHECKPOINT_FILES) {
            assertArrayEquals(Files.readAllBytes(alone.resolve(f)), Files.readAllBytes(folder.resolve("2-seed-12/checkpoints/iter-000004").resolve(f)), f);
        }

        // These small files have no test images, so no judge: metrics.csv rows as a run writes them.
        String header = "iteration,fd,kid,class_rate,confidence,diversity,classes,seconds,warnings\n";
        Files.writeString(folder.resolve("1-seed-11/metrics.csv"), header + "2,50.0000,0.100000,0.9000,0.8000,0.9000,1,1.50,\n"
                + "4,40.0000,0.050000,0.9500,0.8500,0.9500,1,1.50,\n");
        Files.writeString(folder.resolve("2-seed-12/metrics.csv"), header + "2,30.0000,0.030000,0.9000,0.8000,0.9000,1,1.50,\n"
                + "4,35.0000,0.040000,0.9100,0.8100,0.9200,1,1.50,\n");
        assertEquals(0, ReportCommandTest.wgan(out, err, "sweep", file.toString(), "--out", tmp.resolve("out").toString(), "--threads", "2"), err.toString());
        List<String> csv = Files.readAllLines(folder.resolve(SweepTable.CSV));
        assertEquals("run,seed,status,iterations,seconds,fd,kid,class_rate,diversity,best_fd,best_iteration,report", csv.get(0));
        assertTrue(csv.get(1).startsWith("2-seed-12,12,done,4,"), csv.get(1));
        assertTrue(csv.get(1).endsWith(",35.0000,0.040000,0.9100,0.9200,30.0000,2,2-seed-12/report.html"), csv.get(1));
        assertTrue(csv.get(2).startsWith("1-seed-11,11,done,4,") && csv.get(2).contains(",40.0000,4,"), csv.get(2));
        double seconds = Double.parseDouble(csv.get(1).split(",")[4]);
        assertTrue(seconds >= 3.0, "the log's seconds and the two measurements' 1.50 each, not metrics.csv's header: " + seconds);
        Document html = Jsoup.parse(Files.readString(folder.resolve(SweepTable.HTML)));
        assertEquals(List.of("2-seed-12/report.html", "1-seed-11/report.html"), html.select("td a").eachAttr("href"));

        // A run on an image folder measures in the random-feature space: the table names its columns as its metrics.csv does.
        for (String run : List.of("1-seed-11", "2-seed-12")) {
            Path metrics = folder.resolve(run).resolve("metrics.csv");
            Files.writeString(metrics, Files.readString(metrics).replace("iteration,fd,kid,", "iteration,rfd,rkid,"));
        }
        assertEquals(0, ReportCommandTest.wgan(out, err, "sweep", file.toString(), "--out", tmp.resolve("out").toString(), "--threads", "2"), err.toString());
        assertEquals("run,seed,status,iterations,seconds,rfd,rkid,class_rate,diversity,best_rfd,best_iteration,report",
                Files.readAllLines(folder.resolve(SweepTable.CSV)).get(0));
    }

    @Test
    void aRunTheSweepDoesNotHaveIsBadInput() throws IOException {
        Path file = sweepFile(SmallMnist.write(tmp.resolve("mnist"), false));
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(2, ReportCommandTest.wgan(out, err, "sweep", file.toString(), "--out", tmp.resolve("out").toString(), "--run", "3-seed-13"));
        assertTrue(err.toString().startsWith("wgan: --run: the sweep in " + file + " has no run 3-seed-13; its runs are 1-seed-11, 2-seed-12"),
                err.toString());
    }
}
