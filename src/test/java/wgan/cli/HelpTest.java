package wgan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * --help shows every description as written. Picocli reads descriptions as format strings, so a
 * bare % in one (a setting's help says "the last 30%") made it warn on stderr and print the text
 * unformatted.
 */
class HelpTest {
    /** What {@code args} print on stdout; stderr must stay empty. */
    private static String help(String... args) {
        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        StringWriter out = new StringWriter();
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            CommandLine cli = Main.commandLine();
            cli.setOut(new PrintWriter(out, true));
            assertEquals(0, cli.execute(args));
        } finally {
            System.setErr(savedErr);
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8), String.join(" ", args));
        return out.toString();
    }

    @Test
    void theMainHelpShowsPercentSignsAsWritten() {
        String out = help("--help");
        assertTrue(out.contains("the last 30%: better 7s"), out);
        assertTrue(out.contains("the last 30% fall to 0"), out);
        assertFalse(out.contains("%%") || out.contains("%n"), out);
    }

    @Test
    void everySubcommandsHelpPrintsWithoutWarnings() {
        List<String> names = new ArrayList<>(Main.commandLine().getSubcommands().keySet());
        assertFalse(names.isEmpty());
        for (String name : names) {
            String out = help(name, "--help");
            assertTrue(out.contains("Usage: wgan " + name), name + ": " + out);
        }
    }
}
