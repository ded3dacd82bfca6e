package wgan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import wgan.kernels.CpuDevice;
import wgan.kernels.Device;
import wgan.kernels.DeviceUnavailableException;
import wgan.kernels.Devices;

/**
 * Training with the OpenCL device (PoCL in CI) on the small MNIST of {@link SmallMnist}, at batch
 * 8 so that PoCL gets through it in seconds: 3 iterations of E1 and of E3 give the CPU's losses
 * within {@link #TOLERANCE}, and a run interrupted on one device resumes on the other.
 */
class OpenClTrainingTest {
    /**
     * How far a loss may be from the CPU's, as a share of max(1, |loss|). Each product differs
     * from the CPU's by at most k * 2^-23 of the sum of its |terms| (OpenClDeviceTest), which
     * the updates of a few iterations carry into the weights; 1e-3 is far above what a few
     * iterations build up at these learning rates and far below the change of one update.
     */
    static final double TOLERANCE = 1e-3;

    @TempDir
    Path tmp;

    private static Device openCl;

    @BeforeAll
    static void open() throws DeviceUnavailableException {
        openCl = Devices.open(Devices.OPENCL);
    }

    @AfterEach
    void backToTheCpu() {
        Devices.use(CpuDevice.INSTANCE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"e1", "e3"})
    void threeIterationsGiveTheCpusLosses(String preset) throws IOException {
        TrainConfig config = config(preset, SmallMnist.write(tmp.resolve("mnist"), false), 3);
        List<double[]> cpu = losses(config, CpuDevice.INSTANCE), device = losses(config, openCl);
        assertClose(preset, cpu, device);
    }

    @Test
    void aRunInterruptedOnOneDeviceResumesOnTheOther() throws IOException {
        Path data = SmallMnist.write(tmp.resolve("mnist"), false);
        Path straight = tmp.resolve("straight");
        assertEquals(0, TrainingRun.start(config("e1", data, 4), straight, false));
        List<double[]> want = logged(SmallMnist.onlyRun(straight));
        for (Device first : List.of(openCl, CpuDevice.INSTANCE)) {
            Device then = first == openCl ? CpuDevice.INSTANCE : openCl;
            Path out = tmp.resolve("from-" + (first == openCl ? "opencl" : "cpu"));
            Devices.use(first);
            assertEquals(0, TrainingRun.start(config("e1", data, 2), out, false));
            Devices.use(then);
            Path run = SmallMnist.onlyRun(out);
            assertEquals(0, TrainingRun.resume(run, TrainingRun.Resume.to(4), false));
            assertTrue(Files.isDirectory(run.resolve("checkpoints/iter-000004")), "resumed to iteration 4");
            assertClose("2 iterations on " + first.describe() + ", 2 on " + then.describe(), want, logged(run));
        }
    }

    private static TrainConfig config(String preset, Path data, int iterations) {
        if (preset.equals("e1")) return SmallMnist.config(data, iterations, 5e-5);
        return TrainConfig.Preset.E3.config().toBuilder()
                .set(Settings.DATA, Optional.of(data))
                .set(Settings.BATCH, 8)
                .set(Settings.N_CRITIC, 1)
                .set(Settings.CRITIC_WARMUP, false)
                .set(Settings.ITERATIONS, OptionalInt.of(iterations))
                .build();
    }

    /** c1, c2, g and gp of each iteration, trained on {@code device}. */
    private static List<double[]> losses(TrainConfig config, Device device) throws IOException {
        Devices.use(device);
        WganTrainer trainer = new WganTrainer(config, TrainingRun.loadImages(config));
        List<double[]> losses = new ArrayList<>();
        for (int i = 0; i < config.iterations(); i++) {
            WganTrainer.StepLosses l = trainer.iteration();
            losses.add(new double[] {l.c1(), l.c2(), l.g(), l.gp()});
        }
        return losses;
    }

    /** c1, c2, g and gp of each row of a run's log.csv. */
    private static List<double[]> logged(Path run) throws IOException {
        List<String> rows = Files.readAllLines(run.resolve("log.csv"));
        List<double[]> losses = new ArrayList<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] v = row.split(",");
            losses.add(new double[] {Double.parseDouble(v[1]), Double.parseDouble(v[2]), Double.parseDouble(v[3]), Double.parseDouble(v[5])});
        }
        return losses;
    }

    private static void assertClose(String what, List<double[]> want, List<double[]> got) {
        assertEquals(want.size(), got.size(), what + ": iterations");
        double worst = 0;
        for (int i = 0; i < want.size(); i++) {
            for (int j = 0; j < want.get(i).length; j++) {
                double w = want.get(i)[j], g = got.get(i)[j], share = Math.abs(w - g) / Math.max(1, Math.abs(w));
                worst = Math.max(worst, share);
                int iteration = i + 1, loss = j;
                assertTrue(share <= TOLERANCE, () -> what + ": iteration " + iteration + ", loss " + "c1 c2 g gp".split(" ")[loss]
                        + " is " + g + ", the CPU's " + w);
            }
        }
        System.out.printf("%s: largest difference from the CPU %.2e of max(1, |loss|)%n", what, worst);
    }
}
