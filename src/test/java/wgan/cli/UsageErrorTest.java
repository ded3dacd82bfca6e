package wgan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A bad flag is a short message that says what is wrong and where the full list is, with exit 2. */
class UsageErrorTest {

    private static String run(int expectedExit, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        assertEquals(expectedExit, cli.execute(args), err.toString());
        return err.toString();
    }

    @Test
    void aValueOutOfRangeSaysTheRangeAndNotTheWholeHelp() {
        String err = run(2, "--epochs", "10000000");
        assertTrue(err.startsWith("wgan: --epochs must be 1-1000000, got 10000000\n"), err);
        assertTrue(err.contains("java -jar wgan.jar --help"), err);
        assertFalse(err.contains("Usage:"), err);
    }

    @Test
    void aMistypedFlagGetsASuggestion() {
        String err = run(2, "--n-critc=3");
        assertTrue(err.contains("Unknown option: '--n-critc=3'") && err.contains("Possible solutions: --n-critic"), err);
        assertFalse(err.contains("Usage:"), err);
    }

    @Test
    void aSubcommandPointsToItsOwnHelp() {
        String err = run(2, "generate", "--count", "x");
        assertTrue(err.contains("java -jar wgan.jar generate --help"), err);
        String nested = run(2, "bench", "gemm", "--m", "x", "--n", "1", "--k", "1");
        assertTrue(nested.contains("java -jar wgan.jar bench gemm --help"), nested);
    }
}
