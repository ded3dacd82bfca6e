package wgan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import wgan.kernels.CpuDevice;
import wgan.kernels.Device;
import wgan.kernels.Devices;
import wgan.nn.Module;
import wgan.nn.Parameter;

/**
 * The trainers' promise to {@link Device#keepOnDevice}: during their iterations every product
 * that reads a model's weights runs inside a scope naming them, and nothing writes weights that an
 * open scope names (the optimiser steps and clipping come after the scopes close).
 */
class WeightResidencyTest {
    @TempDir
    Path tmp;

    @AfterEach
    void backToTheCpu() {
        Devices.use(CpuDevice.INSTANCE);
    }

    /** The CPU's products, checking each against the scopes open at the time. */
    private static final class Checking extends WatchedCpu {
        final Set<float[]> weights = Collections.newSetFromMap(new IdentityHashMap<>());
        /** How many open scopes name each array. */
        final Map<float[], Integer> kept = new IdentityHashMap<>();
        int productsOfKeptWeights, productsOfWeightsNotKept, writtenWhileKept;

        @Override
        public Residency keepOnDevice(List<float[]> arrays) {
            List<float[]> copies = new ArrayList<>();
            for (float[] a : arrays) {
                copies.add(a.clone());
                kept.merge(a, 1, Integer::sum);
            }
            return () -> {
                for (int i = 0; i < arrays.size(); i++) {
                    if (!Arrays.equals(copies.get(i), arrays.get(i))) writtenWhileKept++;
                    kept.merge(arrays.get(i), -1, Integer::sum);
                }
            };
        }

        @Override
        void read(float[] left, float[] right) {
            for (float[] o : new float[][] {left, right}) {
                if (!weights.contains(o)) continue;
                if (kept.getOrDefault(o, 0) > 0) productsOfKeptWeights++;
                else productsOfWeightsNotKept++;
            }
        }
    }

    /** E1 (split critic rounds, clipping), E3 (joint rounds, gradient penalty) and the VAE, 2 iterations each. */
    @ParameterizedTest
    @ValueSource(strings = {"e1", "e3", "vae"})
    void everyProductOfWeightsIsInAScopeAndNoScopeSpansAWrite(String preset) throws IOException {
        Path data = SmallMnist.write(tmp.resolve("mnist"), false);
        Checking device = new Checking();
        Devices.use(device);
        TrainConfig config = switch (preset) {
            case "e1" -> SmallMnist.config(data, 2, 5e-5);
            default -> TrainConfig.Preset.valueOf(preset.toUpperCase()).config().toBuilder()
                    .set(Settings.DATASET, TrainConfig.Dataset.MNIST)
                    .set(Settings.DATA, Optional.of(data))
                    .set(Settings.BATCH, 8)
                    .set(Settings.ITERATIONS, OptionalInt.of(2))
                    .build();
        };
        if (preset.equals("vae")) {
            AutoencoderTrainer t = new AutoencoderTrainer(config, TrainingRun.loadImages(config));
            weightsOf(t.models().values(), device);
            for (int i = 1; i <= 2; i++) t.iteration(i, System.nanoTime());
        } else {
            WganTrainer t = new WganTrainer(config, TrainingRun.loadImages(config));
            weightsOf(t.models().values(), device);
            for (int i = 1; i <= 2; i++) t.iteration();
        }
        assertTrue(device.productsOfKeptWeights > 0, "no product of weights seen");
        assertEquals(0, device.productsOfWeightsNotKept, "products of weights outside their scopes");
        assertEquals(0, device.writtenWhileKept, "weights written while a scope kept them");
    }

    private static void weightsOf(Iterable<Module> models, Checking device) {
        for (Module m : models) {
            for (Parameter p : m.parameters()) device.weights.add(p.var().value().data());
        }
    }
}
