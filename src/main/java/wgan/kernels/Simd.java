package wgan.kernels;

/**
 * Whether the SIMD (Vector API) kernels can run. The module {@code jdk.incubator.vector} must
 * be loaded ({@code --add-modules jdk.incubator.vector}); without it every kernel runs its scalar
 * path and the program says so at start (see {@link #describe()}): never silently.
 */
public final class Simd {
    /** True when {@code jdk.incubator.vector} is in the boot layer. */
    public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && !Boolean.getBoolean("wgan.scalar");

    private Simd() {}

    /** One line for logs and config.json: which path runs and how wide it is. */
    public static String describe() {
        if (!AVAILABLE) {
            return "scalar kernels (jdk.incubator.vector is not loaded: run with --add-modules jdk.incubator.vector for SIMD)";
        }
        return "SIMD kernels (Vector API, " + VectorWidth.bits() + "-bit, " + VectorWidth.floats() + " floats per vector)";
    }

    /** Kept in its own class so that Simd loads even when the Vector API module is absent. */
    private static final class VectorWidth {
        static int bits() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
        }

        static int floats() {
            return jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        }
    }
}
