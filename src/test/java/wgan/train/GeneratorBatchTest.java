package wgan.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/**
 * In inference mode an image depends only on its own latent point, bitwise, for batches of 2 and
 * more: the trainer relies on it to make several critic rounds' fakes in one pass
 * ({@code WganTrainer.Fakes}). (A batch of 1 makes the first Dense layer's product a
 * matrix-vector one, which sums in another order.) Each case generates rounds x n images at once
 * and round by round, with seeded weights and latent points.
 */
class GeneratorBatchTest {
    static Stream<Arguments> cases() {
        List<Arguments> cases = new ArrayList<>();
        for (Architecture a : Architecture.values()) {
            for (long seed = 1; seed <= 2; seed++) {
                Random r = new Random(seed * 31 + a.ordinal());
                cases.add(Arguments.of(a, seed, 2 + r.nextInt(3), 2 + r.nextInt(5)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} seed={1} rounds={2} n={3}")
    @MethodSource("cases")
    void oneBatchIsBitwiseItsParts(Architecture a, long seed, int rounds, int n) {
        Sampler g = new Sampler(Models.generator(a, new Rng(seed), a.defaultLatent()), a.defaultLatent(), a);
        Tensor z = Tensor.zeros(rounds * n, a.defaultLatent());
        new Rng(seed + 100).fillGaussian(z.data(), 0f, 1f);
        float[] all = g.generate(z).data();
        int perImage = all.length / (rounds * n), perLatent = a.defaultLatent();
        for (int round = 0; round < rounds; round++) {
            Tensor part = Tensor.of(Arrays.copyOfRange(z.data(), round * n * perLatent, (round + 1) * n * perLatent), n, perLatent);
            float[] expected = g.generate(part).data();
            float[] got = Arrays.copyOfRange(all, round * n * perImage, (round + 1) * n * perImage);
            assertArrayEquals(expected, got, "round " + round);
        }
    }
}
