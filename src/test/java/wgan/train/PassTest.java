package wgan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import wgan.kernels.CpuDevice;
import wgan.kernels.Device;
import wgan.kernels.Devices;
import wgan.quality.Shapes;

/**
 * The trainers' promise to {@link Device#pass}: during their iterations every product runs inside
 * a pass, and no array that a product in a pass read is written before the outermost pass closes
 * (the optimiser steps and clipping come after it), so a device may keep what it put.
 */
class PassTest {
    @TempDir
    Path tmp;

    @AfterEach
    void backToTheCpu() {
        Devices.use(CpuDevice.INSTANCE);
    }

    /** The CPU's products, each operand compared at the end of the pass with a copy taken when a product first read it. */
    private static final class Checking extends WatchedCpu {
        int openPasses, productsInPasses, productsOutsidePasses, writtenInPasses;
        /** The operands read in the open pass, as they were then. */
        final Map<float[], float[]> read = new IdentityHashMap<>();
        final List<String> written = new ArrayList<>();

        @Override
        public Pass pass() {
            openPasses++;
            return () -> {
                if (--openPasses > 0) return;
                read.forEach((array, then) -> {
                    if (!Arrays.equals(array, then)) {
                        writtenInPasses++;
                        written.add(array.length + " floats");
                    }
                });
                read.clear();
            };
        }

        @Override
        void read(float[] left, float[] right) {
            if (openPasses == 0) {
                productsOutsidePasses++;
                return;
            }
            productsInPasses++;
            read.computeIfAbsent(left, float[]::clone);
            read.computeIfAbsent(right, float[]::clone);
        }
    }

    /**
     * E1 (split critic rounds, clipping), e1-gp and E3 (joint rounds, gradient penalty: double
     * backprop), E3 with its fakes made in training mode (a pass inside the critic's), E4's
     * WGAN-GP on colour images and the VAE, 2 iterations each.
     */
    @ParameterizedTest
    @ValueSource(strings = {"e1", "e1_gp", "e3", "e3 fakes in training", "e4_wgan_gp", "vae"})
    void everyProductIsInAPassAndNothingItReadIsWrittenBeforeThePassEnds(String run) throws IOException {
        String preset = run.split(" ")[0];
        boolean colour = preset.startsWith("e4");
        Path data = colour ? Shapes.writeFolder(tmp.resolve("shapes"), 16, 64, 4) : SmallMnist.write(tmp.resolve("mnist"), false);
        Checking device = new Checking();
        Devices.use(device);
        TrainConfig config = switch (preset) {
            case "e1" -> SmallMnist.config(data, 2, 5e-5);
            default -> TrainConfig.Preset.valueOf(preset.toUpperCase()).config().toBuilder()
                    .set(Settings.DATASET, colour ? TrainConfig.Dataset.FOLDER : TrainConfig.Dataset.MNIST)
                    .set(Settings.DATA, Optional.of(data))
                    .set(Settings.BATCH, 8)
                    .set(Settings.ITERATIONS, OptionalInt.of(2))
                    .set(Settings.FAKES, run.endsWith("in training") ? TrainConfig.FakesMode.TRAINING : TrainConfig.FakesMode.INFERENCE)
                    .build();
        };
        if (preset.equals("vae")) {
            AutoencoderTrainer t = new AutoencoderTrainer(config, TrainingRun.loadImages(config));
            for (int i = 1; i <= 2; i++) t.iteration(i, System.nanoTime());
        } else {
            WganTrainer t = new WganTrainer(config, TrainingRun.loadImages(config));
            for (int i = 1; i <= 2; i++) t.iteration();
        }
        assertTrue(device.productsInPasses > 0, "no product seen");
        assertEquals(0, device.productsOutsidePasses, "products outside passes");
        assertEquals(0, device.writtenInPasses, "arrays written after a product read them in a pass: " + device.written);
    }
}
