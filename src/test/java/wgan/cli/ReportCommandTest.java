package wgan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import wgan.train.RunReport;
import wgan.train.SmallMnist;

/** {@code wgan report}: a run's report.html written anew; a folder that is not a run's is a clear error. */
class ReportCommandTest {
    @TempDir
    Path tmp;

    /** Runs the command line with its output and errors into {@code out} and {@code err}; returns the exit code. */
    static int wgan(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void writesTheReportOfARunAnew() throws IOException {
        Path run = SmallMnist.trainedRun(tmp, 2);
        Files.delete(run.resolve(RunReport.FILE));
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(0, wgan(out, err, "report", run.toString()), err.toString());
        assertTrue(Files.readString(run.resolve(RunReport.FILE)).contains("<section id=\"samples\">"));
        assertTrue(out.toString().startsWith("Wrote " + run.resolve(RunReport.FILE).toAbsolutePath()), out.toString());
    }

    @Test
    void aFolderThatIsNotARunIsBadInput() throws IOException {
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(2, wgan(out, err, "report", tmp.toString()));
        assertEquals("wgan: " + tmp + " is not a wgan run folder: it has no config.json", err.toString().strip());
        Files.writeString(tmp.resolve("config.json"), "{\"config\": ");
        err.getBuffer().setLength(0);
        assertEquals(2, wgan(out, err, "report", tmp.toString()));
        assertTrue(err.toString().contains("config.json"), err.toString());
        assertFalse(Files.exists(tmp.resolve(RunReport.FILE)));
    }
}
