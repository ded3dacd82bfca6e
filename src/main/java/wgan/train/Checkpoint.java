package wgan.train;

import com.google.gson.Gson;
import com.google.gson.JsonParseException;
import wgan.io.AtomicFiles;
import wgan.io.Safetensors;
import wgan.nn.Layouts;
import wgan.nn.Parameter;
import wgan.nn.Sequential;
import wgan.nn.StateDicts;
import wgan.optim.Optimizer;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A checkpoint is a folder {@code checkpoints/iter-NNNNNN/} holding everything a run needs to go
 * on exactly as if it had not stopped:
 * <ul>
 *   <li>{@code generator.safetensors}, {@code critic.safetensors}: weights and batch-norm statistics
 *       with PyTorch names and layouts (docs/pytorch.md), loadable with {@code load_state_dict(strict=True)};</li>
 *   <li>{@code generator-optimizer.safetensors}, {@code critic-optimizer.safetensors}: optimiser slots and step counts;</li>
 *   <li>{@code state.json}: the iteration and the random streams' states.</li>
 * </ul>
 * The folder is written under a temporary name and renamed when complete, and {@code latest}
 * (a one-line file naming it) is replaced atomically after that, so a run killed at any moment
 * leaves its previous checkpoint intact.
 */
public final class Checkpoint {
    static final String GENERATOR = "generator.safetensors";
    static final String CRITIC = "critic.safetensors";
    private static final String GENERATOR_OPTIMIZER = "generator-optimizer.safetensors";
    private static final String CRITIC_OPTIMIZER = "critic-optimizer.safetensors";
    private static final String CRITIC_NORM_OPTIMIZER = "critic-norm-in-generator-step-optimizer.safetensors";
    private static final String STATE = "state.json";
    private static final String LATEST = "latest";
    private static final Gson GSON = new Gson();

    /**
     * What state.json holds: the iteration, the random streams, and where a shuffled pass over the
     * data stands ({epoch, position}).
     */
    private record State(int iteration, long[] dataRng, long[] noiseRng, long[] penaltyRng, int[] dataPosition) {}

    private Checkpoint() {}

    static String folderName(int iteration) {
        return String.format("iter-%06d", iteration);
    }

    /** Writes the trainer's state after {@code iteration} and points {@code latest} at it. */
    static Path save(Path checkpoints, WganTrainer t, int iteration) throws IOException {
        Files.createDirectories(checkpoints);
        Path target = checkpoints.resolve(folderName(iteration));
        Path tmp = Files.createTempDirectory(checkpoints, ".tmp-" + folderName(iteration) + "-");
        try {
            // A sorted map: Map.of's order changes from one JVM to the next, and so would the file's bytes.
            Map<String, String> meta = new TreeMap<>(Map.of("format", "pt", "wgan", RunInfo.version(),
                    "iteration", Integer.toString(iteration), "latent", Integer.toString(t.config.get(Settings.LATENT)),
                    "model", t.config.get(Settings.MODEL).id()));
            writeModel(tmp.resolve(GENERATOR), t.generator, meta);
            writeModel(tmp.resolve(CRITIC), t.critic, meta);
            writeOptimizer(tmp.resolve(GENERATOR_OPTIMIZER), t.generatorOptimizer);
            writeOptimizer(tmp.resolve(CRITIC_OPTIMIZER), t.criticOptimizer);
            if (t.criticNormInGeneratorStep != null) writeOptimizer(tmp.resolve(CRITIC_NORM_OPTIMIZER), t.criticNormInGeneratorStep);
            State state = new State(iteration, t.realBatches.rng.state(), t.noiseRng.state(), t.penaltyRng.state(),
                    t.realBatches.position());
            AtomicFiles.write(tmp.resolve(STATE), GSON.toJson(state).getBytes(StandardCharsets.UTF_8));
            if (Files.exists(target)) delete(target);
            moveAtomically(tmp, target);
        } catch (IOException | RuntimeException e) {
            delete(tmp);
            throw e;
        }
        AtomicFiles.write(checkpoints.resolve(LATEST), (folderName(iteration) + "\n").getBytes(StandardCharsets.UTF_8));
        return target;
    }

    /** The checkpoint folder that {@code latest} names, if any. */
    static Optional<Path> latest(Path checkpoints) throws IOException {
        Path latest = checkpoints.resolve(LATEST);
        if (!Files.isRegularFile(latest)) return Optional.empty();
        Path dir = checkpoints.resolve(Files.readString(latest, StandardCharsets.UTF_8).trim());
        if (!Files.isRegularFile(dir.resolve(STATE))) {
            throw new IOException(latest + " names " + dir.getFileName() + ", which is not a complete checkpoint");
        }
        return Optional.of(dir);
    }

    /** Restores the trainer to the state saved in {@code dir}; returns the iteration it was saved after. */
    static int restore(Path dir, WganTrainer t) throws IOException {
        State state;
        try {
            state = GSON.fromJson(Files.readString(dir.resolve(STATE), StandardCharsets.UTF_8), State.class);
        } catch (JsonParseException e) {
            throw new IOException(dir.resolve(STATE) + " is damaged: " + e.getMessage(), e);
        }
        if (state == null || state.dataRng == null || state.noiseRng == null || state.penaltyRng == null
                || state.dataPosition == null || state.dataPosition.length != 2) {
            throw new IOException(dir.resolve(STATE) + " is incomplete");
        }
        loadModel(dir.resolve(GENERATOR), t.generator);
        loadModel(dir.resolve(CRITIC), t.critic);
        loadOptimizer(dir.resolve(GENERATOR_OPTIMIZER), t.generatorOptimizer);
        loadOptimizer(dir.resolve(CRITIC_OPTIMIZER), t.criticOptimizer);
        if (t.criticNormInGeneratorStep != null) loadOptimizer(dir.resolve(CRITIC_NORM_OPTIMIZER), t.criticNormInGeneratorStep);
        t.realBatches.rng.restore(state.dataRng);
        t.realBatches.restore(state.dataPosition);
        t.noiseRng.restore(state.noiseRng);
        t.penaltyRng.restore(state.penaltyRng);
        t.steps = state.iteration;
        return state.iteration;
    }

    /** A model's state dict as a safetensors file; PyTorch's int64 counters are written as I64. */
    static void writeModel(Path file, Sequential model, Map<String, String> metadata) throws IOException {
        Map<String, Safetensors.Entry> entries = new LinkedHashMap<>();
        model.stateDict().forEach((name, tensor) -> entries.put(name, StateDicts.isInt64(name)
                ? new Safetensors.I64(new long[] {(long) tensor.item()}, tensor.shape())
                : new Safetensors.F32(tensor)));
        Safetensors.write(file, entries, metadata);
    }

    /** Loads a model's weights from a safetensors state dict; names and shapes must match exactly. */
    static void loadModel(Path file, Sequential model) throws IOException {
        loadModel(file, Safetensors.read(file), model);
    }

    static void loadModel(Path file, Safetensors.Contents contents, Sequential model) throws IOException {
        try {
            model.loadStateDict(tensors(contents), true);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " does not fit this model: " + e.getMessage(), e);
        }
    }

    private static Map<String, Tensor> tensors(Safetensors.Contents contents) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        contents.tensors().forEach((name, entry) -> out.put(name, switch (entry) {
            case Safetensors.F32 f -> f.tensor();
            case Safetensors.I64 l -> Tensor.of(new float[] {l.values()[0]}, l.shape());
        }));
        return out;
    }

    /**
     * Optimiser slots are shaped like their parameters as wgan stores them, not as PyTorch does;
     * this metadata entry marks files whose Dense kernels' slots are [in, out]. Files without it
     * were written while Dense stored its kernel [out, in].
     */
    private static final String DENSE_KERNEL_LAYOUT = "dense-kernel";
    private static final String IN_OUT = "in,out";

    private static void writeOptimizer(Path file, Optimizer optimizer) throws IOException {
        Map<String, Safetensors.Entry> entries = new LinkedHashMap<>();
        optimizer.state().forEach((name, tensor) -> entries.put(name, new Safetensors.F32(tensor)));
        Safetensors.write(file, entries, Map.of(DENSE_KERNEL_LAYOUT, IN_OUT));
    }

    /** Restores an optimiser from {@link #writeOptimizer}'s file, or from one that predates {@link #DENSE_KERNEL_LAYOUT}. */
    private static void loadOptimizer(Path file, Optimizer optimizer) throws IOException {
        Safetensors.Contents contents = Safetensors.read(file);
        Map<String, Tensor> state = tensors(contents);
        try {
            if (!IN_OUT.equals(contents.metadata().get(DENSE_KERNEL_LAYOUT))) {
                for (Parameter p : Parameter.ofKind(optimizer.parameters(), Parameter.Kind.DENSE_KERNEL)) {
                    state.replaceAll((name, slot) -> name.startsWith(p.name() + ".") ? Layouts.transpose(slot) : slot);
                }
            }
            optimizer.loadState(state);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " does not fit this run's optimiser: " + e.getMessage(), e);
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    /** Removes a checkpoint folder (or a half-written one) and everything in it. */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
