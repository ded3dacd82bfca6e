package wgan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.kernels.CpuDevice;
import wgan.kernels.Devices;

/**
 * With --verbose on a device other than the CPU, a run ends with the bytes put on the device and
 * got back per training iteration: here a device that says it moves 10 bytes in and 1 out per
 * product, so the line must show 10 and 1 times an iteration's products, counted apart.
 */
class DeviceTransfersLineTest {
    @TempDir
    Path tmp;

    @AfterEach
    void backToTheCpu() {
        Devices.use(CpuDevice.INSTANCE);
    }

    /** The CPU's products, each reported as 10 bytes put and 1 got. */
    private static final class Counting extends WatchedCpu {
        long products;

        @Override
        void read(float[] left, float[] right) {
            products++;
        }

        @Override
        public Transfers transfers() {
            return new Transfers(10 * products, products);
        }
    }

    @Test
    void aVerboseRunOffTheCpuEndsWithTheBytesMovedPerIteration() throws IOException {
        Path data = SmallMnist.write(tmp.resolve("mnist"), false);
        TrainConfig config = SmallMnist.config(data, 2, 5e-5);
        Counting device = new Counting();
        Devices.use(device);
        WganTrainer alone = new WganTrainer(config, TrainingRun.loadImages(config));
        alone.iteration();
        long perIteration = device.products;
        assertTrue(perIteration > 0);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, TrainingRun.start(config, tmp.resolve("runs"), true));
        } finally {
            System.setOut(saved);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        Matcher line = Pattern.compile("Device transfers per iteration: ([\\d,]+) bytes put, ([\\d,]+) got \\(mean of 2\\)").matcher(text);
        assertTrue(line.find(), text);
        assertEquals(10 * perIteration, Long.parseLong(line.group(1).replace(",", "")));
        assertEquals(perIteration, Long.parseLong(line.group(2).replace(",", "")));
    }
}
