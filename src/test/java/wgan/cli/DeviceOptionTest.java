package wgan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import wgan.kernels.CpuDevice;
import wgan.kernels.Devices;

/**
 * Every command that runs a model takes --device; without the OpenCL backend (the default jar,
 * and these tests) asking for it is an error naming the jar that has it, never a run on the CPU.
 */
class DeviceOptionTest {
    static Stream<Arguments> commandsAndDevices() {
        List<String> commands = List.of("--digit 7", "--resume no-such-run", "bench --preset e1",
                "bench gemm --m 2 --n 2 --k 2", "generate --checkpoint no-such-file --count 1 --out x.npy",
                "sweep no-such-sweep.json");
        return commands.stream().flatMap(c -> Stream.of(
                Arguments.of(c, "opencl", "--device opencl: this jar has no OpenCL backend; it is in wgan-opencl.jar (build it with: mvn -P opencl"),
                Arguments.of(c, "opencl:1", "--device opencl: this jar has no OpenCL backend"),
                Arguments.of(c, "gpu", "--device gpu: no such device; this jar has cpu")));
    }

    @ParameterizedTest(name = "{0} --device {1}")
    @MethodSource("commandsAndDevices")
    void aDeviceThisJarLacksIsAClearError(String command, String device, String message) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("--device", device));
        String err = run(2, args.toArray(String[]::new));
        assertTrue(err.contains("wgan: " + message), err);
        assertEquals(CpuDevice.INSTANCE, Devices.current());
    }

    @Test
    void devicesSaysWhereTheOpenClBackendIs() {
        String err = run(2, "devices");
        assertTrue(err.contains("wgan: --device opencl: this jar has no OpenCL backend; it is in wgan-opencl.jar"), err);
    }

    private static String run(int code, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err));
        assertEquals(code, cli.execute(args), err.toString());
        return err.toString();
    }
}
