package wgan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory estimate against the models' sizes and, loosely, against what a real run used. */
class MemoryNeedTest {
    @TempDir
    Path tmp;

    @Test
    void weightsGrowWithTheLatentSizeAndActivationsWithTheBatch() {
        TrainConfig e1 = TrainConfig.Preset.E1.config();
        MemoryNeed base = MemoryNeed.of(e1);
        MemoryNeed wide = MemoryNeed.of(e1.with(Settings.LATENT, 100_000));
        // The first Dense layer maps the latent vector to 128 * 7 * 7 units; RMSprop keeps one slot per weight.
        assertEquals(99_950L * 6272 * Float.BYTES * 3, wide.weightBytes() - base.weightBytes());
        assertEquals(2 * base.activationBytes(), MemoryNeed.of(e1.with(Settings.BATCH, 128)).activationBytes(), 4.0);
    }

    /**
     * A real run of E1's models at batch 32 takes more heap than the estimate, which is a lower bound,
     * but not wildly more: the heap pools' peak (garbage included) within 30 times the estimate.
     */
    @Test
    void theEstimateIsALowerBoundOfARealRunsHeap() throws IOException {
        TrainConfig config = SmallMnist.config(SmallMnist.write(tmp.resolve("mnist"), false), 1, 5e-5).toBuilder()
                .set(Settings.BATCH, 32).set(Settings.ITERATIONS, OptionalInt.of(1)).build();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP).toList();
        System.gc();
        long before = heap.stream().mapToLong(p -> p.getUsage().getUsed()).sum();
        heap.forEach(MemoryPoolMXBean::resetPeakUsage);
        assertEquals(0, TrainingRun.start(config, tmp.resolve("out"), false));
        long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum() - before;
        long estimate = MemoryNeed.of(config).total();
        System.out.printf("MemoryNeedTest: estimate %.0f MB, heap peak over the start %.0f MB%n", estimate / 1e6, peak / 1e6);
        assertTrue(estimate < peak, "estimate " + estimate + " < peak " + peak);
        assertTrue(30 * estimate > peak, "estimate " + estimate + " within 30x of the peak " + peak);
    }
}
