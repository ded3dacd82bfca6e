package wgan.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import wgan.data.TrainingImages;
import wgan.tensor.Tensor;

class RealBatchesTest {

    /** count 1x1x1 images whose single value is their index. */
    private static TrainingImages indexed(int count) {
        Tensor t = Tensor.zeros(count, 1, 1, 1);
        for (int i = 0; i < count; i++) t.data()[i] = i;
        return TrainingImages.of(t);
    }

    private static List<Integer> draw(RealBatches b, int n, int batches) {
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < batches; k++) for (float v : b.next(n).data()) out.add((int) v);
        return out;
    }

    @ParameterizedTest(name = "count={0} batch={1} seed={2}")
    @CsvSource({"10, 3, 1", "64, 8, 2", "7, 7, 3", "33, 4, 4"})
    void shufflingVisitsEveryImageOncePerEpochAndDropsTheRest(int count, int batch, long seed) {
        RealBatches b = new RealBatches(indexed(count), TrainConfig.Sampling.SHUFFLE, seed);
        int perEpoch = count / batch;
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Integer> seen = draw(b, batch, perEpoch);
            assertEquals(perEpoch * batch, seen.stream().distinct().count(), "no image twice in epoch " + epoch + ": " + seen);
        }
    }

    @ParameterizedTest(name = "{0} seed={1}")
    @CsvSource({"SHUFFLE, 5", "REPLACEMENT, 6"})
    void aRestoredSamplerDrawsWhatTheOriginalWouldHave(TrainConfig.Sampling sampling, long seed) {
        RealBatches straight = new RealBatches(indexed(23), sampling, seed);
        draw(straight, 4, 7);
        long[] rng = straight.rng.state();
        int[] position = straight.position();
        List<Integer> expected = draw(straight, 4, 9);

        RealBatches resumed = new RealBatches(indexed(23), sampling, seed);
        resumed.rng.restore(rng);
        resumed.restore(position);
        assertArrayEquals(expected.toArray(), draw(resumed, 4, 9).toArray());
    }
}
