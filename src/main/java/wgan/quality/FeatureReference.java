package wgan.quality;

import java.util.Arrays;

/**
 * Real images' features in some feature space, with what every comparison needs of them computed
 * once (their Gaussian statistics and mean pairwise distance), so that scoring many sets of
 * samples costs only the samples' side: the Fréchet distance, KID and diversity of a set of
 * samples' features against them.
 */
final class FeatureReference {
    /** Real images used for the reference's diversity: enough for a stable mean, cheap for 10,000 test images. */
    private static final int DIVERSITY_REAL = 2000;

    private final double[][] features;
    private final FrechetDistance.Statistics statistics;
    private final double diversity;
    private final int kidSubsets;

    /** How far a set of samples' features lies from the reference's. */
    record Distances(double fd, double kid, double kidStd, double diversity) {}

    FeatureReference(double[][] features, int kidSubsets) {
        this.features = features;
        this.statistics = FrechetDistance.Statistics.of(features);
        this.diversity = Diversity.meanPairwiseDistance(Arrays.copyOf(features, Math.min(DIVERSITY_REAL, features.length)));
        this.kidSubsets = kidSubsets;
    }

    int count() {
        return features.length;
    }

    /** The samples' distances; KID's subsets are drawn from {@code seed}. */
    Distances compare(double[][] samples, long seed) {
        // Exactly >= 0; rounding leaves about -1e-12 for a set scored against itself.
        double fd = Math.max(FrechetDistance.between(FrechetDistance.Statistics.of(samples), statistics), 0);
        Kid.Estimate kid = Kid.between(samples, features, seed, kidSubsets);
        return new Distances(fd, kid.mean(), kid.std(), Diversity.meanPairwiseDistance(samples) / diversity);
    }
}
