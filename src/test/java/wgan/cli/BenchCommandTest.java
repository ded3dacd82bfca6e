package wgan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class BenchCommandTest {

    @Test
    void gemmPrintsTheMedianLastInTheDocumentedFormat() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new Main()).execute("bench", "gemm", "--m", "7", "--n", "5", "--k", "3",
                    "--threads", "1", "--trans-b", "--seconds", "0.01");
        } finally {
            System.setOut(out);
        }
        String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\\R");
        assertEquals(0, code);
        assertTrue(lines[0].contains("kernels"), lines[0]);
        assertTrue(lines[lines.length - 1].matches("gemm 7x5x3 threads=1 GFLOP/s=\\d+\\.\\d"), lines[lines.length - 1]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--m", "--n", "--k", "--seconds"})
    void aNonPositiveValueIsRejectedNamingItsFlag(String flag) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(err));
        String[] args = {"bench", "gemm", "--m", "4", "--n", "4", "--k", "4", "--threads", "1", "--seconds", "0.01"};
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(flag)) args[i + 1] = "0";
        }
        assertEquals(2, cli.execute(args));
        assertTrue(err.toString().contains(flag + " must be positive"), err.toString());
    }
}
