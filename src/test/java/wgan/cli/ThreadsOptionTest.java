package wgan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Every command that computes takes --threads, and rejects a bad value before doing anything else. */
class ThreadsOptionTest {
    static Stream<Arguments> commandsAndBadValues() {
        List<String> commands = List.of("--digit 7", "--resume no-such-run", "bench --preset e1",
                "bench gemm --m 2 --n 2 --k 2", "generate --checkpoint no-such-file --count 1 --out x.npy");
        return commands.stream().flatMap(c -> Stream.of("0", "-3", "1025").map(v -> Arguments.of(c, v)));
    }

    @ParameterizedTest(name = "{0} --threads {1}")
    @MethodSource("commandsAndBadValues")
    void aBadThreadCountIsRejectedNamingTheFlagAndRange(String command, String value) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("--threads", value));
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute(args.toArray(String[]::new)), err.toString());
        assertTrue(err.toString().contains("--threads must be 1-1024, got " + value), err.toString());
    }
}
