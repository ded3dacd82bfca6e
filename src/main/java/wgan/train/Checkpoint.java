package wgan.train;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import wgan.io.AtomicFiles;
import wgan.io.FileFormatException;
import wgan.io.Safetensors;
import wgan.nn.Layouts;
import wgan.nn.Module;
import wgan.nn.Parameter;
import wgan.nn.StateDicts;
import wgan.optim.Optimizer;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A checkpoint is a folder {@code checkpoints/iter-NNNNNN/} holding everything a run needs to go
 * on exactly as if it had not stopped (for a GAN; an autoencoder's has {@code encoder.safetensors},
 * {@code decoder.safetensors} and one {@code optimizer.safetensors} instead: {@link Saved}):
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
    static final String GENERATOR_OPTIMIZER = "generator-optimizer.safetensors";
    static final String CRITIC_OPTIMIZER = "critic-optimizer.safetensors";
    static final String CRITIC_NORM_OPTIMIZER = "critic-norm-in-generator-step-optimizer.safetensors";
    /** An autoencoder's networks and its one optimiser, which steps both. */
    static final String DECODER = "decoder.safetensors";
    static final String ENCODER = "encoder.safetensors";
    static final String OPTIMIZER = "optimizer.safetensors";
    private static final String STATE = "state.json";
    private static final String LATEST = "latest";
    /** Prefix of the folder a checkpoint is written in before it is renamed into place. */
    private static final String TEMP_PREFIX = ".tmp-";
    private static final Pattern CHECKPOINT_NAME = Pattern.compile("iter-[0-9]{6,9}");
    private static final Gson GSON = new Gson();

    /**
     * What state.json holds: the iteration, the random streams, where a shuffled pass over the
     * data stands ({epoch, position}), and whether the run keeps this checkpoint for good (absent
     * in checkpoints written before it was recorded).
     */
    record State(int iteration, long[] dataRng, long[] noiseRng, long[] penaltyRng, int[] dataPosition, Boolean kept) {
        /**
         * Whether a later checkpoint may replace this one: only if it was written as a rolling one.
         * The run cannot recompute that, since which iterations are kept depends on the epoch
         * length, and so on the data, which a resumed run may be given anew.
         */
        boolean replaceable() {
            return Boolean.FALSE.equals(kept);
        }
    }

    private Checkpoint() {}

    /**
     * What a checkpoint saves of a trainer and restores into it: its networks and optimisers by
     * the files they are written to, its random streams, where its pass over the data stands, and
     * its count of steps. {@link WganTrainer} and {@link AutoencoderTrainer} are.
     */
    interface Saved {
        TrainConfig config();

        /** The networks by file name, in the order they are written. */
        Map<String, Module> models();

        /** The optimisers by file name, in the order they are written. */
        Map<String, Optimizer> optimizers();

        /** Its random streams, and the position of its pass over the data. */
        Streams streams();

        /** Sets the count of steps taken, which the schedule may depend on. */
        void restoreSteps(int steps);
    }

    /** A trainer's real batches and its random streams; {@code penalty} is null for a trainer without a penalty. */
    record Streams(RealBatches realBatches, Rng noise, Rng penalty) {}

    static String folderName(int iteration) {
        return String.format("iter-%06d", iteration);
    }

    /**
     * Writes the trainer's state after {@code iteration} and points {@code latest} at it.
     * {@code kept}: the run keeps this checkpoint for good (see {@link State#replaceable}).
     */
    static Path save(Path checkpoints, Saved t, int iteration, boolean kept) throws IOException {
        Files.createDirectories(checkpoints);
        Path target = checkpoints.resolve(folderName(iteration));
        // A resumed run starts from the newest checkpoint, so only a folder put there by hand can be in the way.
        if (Files.exists(target)) {
            throw new IOException(target + " already exists and wgan does not overwrite a checkpoint; move it out of "
                    + checkpoints + " and resume again");
        }
        // Not Files.createTempDirectory: its owner-only mode would stick to the checkpoint once renamed.
        Path tmp = Files.createDirectory(checkpoints.resolve(TEMP_PREFIX + folderName(iteration) + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong())));
        try {
            // A sorted map: Map.of's order changes from one JVM to the next, and so would the file's bytes.
            Map<String, String> meta = new TreeMap<>(Map.of("format", "pt", "wgan", RunInfo.version(),
                    "iteration", Integer.toString(iteration), "latent", Integer.toString(t.config().get(Settings.LATENT)),
                    "model", t.config().get(Settings.MODEL).id()));
            for (Map.Entry<String, Module> m : t.models().entrySet()) writeModel(tmp.resolve(m.getKey()), m.getValue(), meta);
            for (Map.Entry<String, Optimizer> o : t.optimizers().entrySet()) writeOptimizer(tmp.resolve(o.getKey()), o.getValue());
            // Without a penalty the field is left out (Gson omits nulls).
            Streams s = t.streams();
            State state = new State(iteration, s.realBatches().rng.state(), s.noise().state(),
                    s.penalty() == null ? null : s.penalty().state(), s.realBatches().position(), kept);
            AtomicFiles.write(tmp.resolve(STATE), GSON.toJson(state).getBytes(StandardCharsets.UTF_8));
            moveAtomically(tmp, target);
        } catch (IOException | RuntimeException e) {
            delete(tmp);
            throw e;
        }
        AtomicFiles.write(checkpoints.resolve(LATEST), (folderName(iteration) + "\n").getBytes(StandardCharsets.UTF_8));
        return target;
    }

    /**
     * The newest complete checkpoint folder, if any. Usually the one {@code latest} names; a run
     * killed between renaming a checkpoint into place and updating {@code latest} leaves a newer one.
     */
    static Optional<Path> latest(Path checkpoints) throws IOException {
        if (!Files.isDirectory(checkpoints)) return Optional.empty();
        try (Stream<Path> folders = Files.list(checkpoints)) {
            return folders.filter(f -> CHECKPOINT_NAME.matcher(f.getFileName().toString()).matches()
                            && Files.isRegularFile(f.resolve(STATE)))
                    .max(Comparator.comparingInt(Checkpoint::iterationOf));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** The iteration in a checkpoint folder's name. */
    static int iterationOf(Path checkpoint) {
        return Integer.parseInt(checkpoint.getFileName().toString().substring("iter-".length()));
    }

    /**
     * Removes what a killed run leaves in {@code checkpoints}: half-written checkpoint folders and
     * temporary files of {@link AtomicFiles}. Only safe while no other process writes there.
     * Returns the names removed.
     */
    static List<String> removeLeftovers(Path checkpoints) throws IOException {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(checkpoints)) return removed;
        try (Stream<Path> entries = Files.list(checkpoints)) {
            for (Path p : entries.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)
                    && p.getFileName().toString().startsWith(TEMP_PREFIX)).sorted().toList()) {
                delete(p);
                removed.add(p.getFileName().toString());
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        removed.addAll(AtomicFiles.removeLeftovers(checkpoints));
        return removed;
    }

    /**
     * Restores the trainer to the state saved in {@code dir}, which must be a complete checkpoint;
     * returns that state. Every file is checked before the trainer is changed.
     */
    static State restore(Path dir, Saved t) throws IOException {
        Path stateFile = dir.resolve(STATE);
        State state = readState(stateFile, Files.readAllBytes(stateFile));
        if (state.iteration != iterationOf(dir)) {
            throw new FileFormatException(stateFile, "\"iteration\" is " + state.iteration + " but the checkpoint folder is "
                    + dir.getFileName() + "; the file belongs to another checkpoint");
        }
        Streams streams = t.streams();
        if ((state.penaltyRng == null) != (streams.penalty() == null)) {
            throw new FileFormatException(stateFile, state.penaltyRng == null ? "has no \"penaltyRng\" field, which a run with a penalty's stream needs"
                    : "has a \"penaltyRng\" field, which this run's trainer has no stream for: the checkpoint is another kind of run's");
        }
        List<String> files = new ArrayList<>(t.models().keySet());
        files.addAll(t.optimizers().keySet());
        for (String file : files) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new IOException("checkpoint " + dir + " is incomplete: it has no " + file
                        + (file.equals(CRITIC_NORM_OPTIMIZER) ? " (which a run with --keras-bn-quirk needs)" : ""));
            }
        }
        for (Map.Entry<String, Module> m : t.models().entrySet()) loadModel(dir.resolve(m.getKey()), m.getValue());
        for (Map.Entry<String, Optimizer> o : t.optimizers().entrySet()) loadOptimizer(dir.resolve(o.getKey()), o.getValue());
        streams.realBatches().rng.restore(state.dataRng);
        streams.realBatches().restore(state.dataPosition);
        streams.noise().restore(state.noiseRng);
        if (streams.penalty() != null) streams.penalty().restore(state.penaltyRng);
        t.restoreSteps(state.iteration);
        return state;
    }

    private static final List<String> STATE_FIELDS = List.of("iteration", "dataRng", "noiseRng", "penaltyRng", "dataPosition", "kept");

    /**
     * Reads {@code file}'s bytes as a {@link State}, checking every field: a damaged or edited
     * file is an error naming the field, its value and what it may be, never a run that starts
     * from nonsense.
     */
    static State readState(Path file, byte[] bytes) throws FileFormatException {
        JsonObject root = jsonObject(file, bytes);
        for (String name : root.keySet()) {
            if (!STATE_FIELDS.contains(name)) {
                throw new FileFormatException(file, "unknown field \"" + name + "\"; state.json holds " + String.join(", ", STATE_FIELDS));
            }
        }
        long iteration = integer(file, root, "iteration");
        if (iteration < 1 || iteration > Integer.MAX_VALUE) {
            throw new FileFormatException(file, "\"iteration\" is " + iteration
                    + "; it must be from 1 to " + Integer.MAX_VALUE + " (the iteration the checkpoint was saved after)");
        }
        long[] position = integers(file, root, "dataPosition", 2);
        long epoch = position[0];
        if (epoch < -1 || epoch >= Integer.MAX_VALUE || position[1] < 0 || position[1] > Integer.MAX_VALUE
                || (epoch == -1 && position[1] != 0)) {
            throw new FileFormatException(file, "\"dataPosition\" is " + Arrays.toString(position) + "; it must be [epoch, position]"
                    + " with epoch from -1 to " + (Integer.MAX_VALUE - 1) + " and position from 0 to " + Integer.MAX_VALUE
                    + ", and [-1, 0] before the first epoch");
        }
        Boolean kept = null;
        if (root.has("kept")) {
            JsonElement k = root.get("kept");
            if (!k.isJsonPrimitive() || !k.getAsJsonPrimitive().isBoolean()) {
                throw new FileFormatException(file, "\"kept\" is " + k + "; it must be true or false");
            }
            kept = k.getAsBoolean();
        }
        // An autoencoder's checkpoint has no penalty stream; restore checks it against the trainer.
        long[] penaltyRng = root.has("penaltyRng") ? rngState(file, root, "penaltyRng") : null;
        return new State((int) iteration, rngState(file, root, "dataRng"), rngState(file, root, "noiseRng"),
                penaltyRng, new int[] {(int) epoch, (int) position[1]}, kept);
    }

    /** A random stream's saved state: {@link Rng#STATE_LENGTH} integers that {@link Rng#restore} accepts. */
    private static long[] rngState(Path file, JsonObject root, String name) throws FileFormatException {
        long[] state = integers(file, root, name, Rng.STATE_LENGTH);
        if ((state[0] | state[1] | state[2] | state[3]) == 0) {
            throw new FileFormatException(file, "\"" + name + "\" starts with four zeros, which no xoshiro256** stream reaches");
        }
        if (state[4] != 0 && state[4] != 1) {
            throw new FileFormatException(file, "\"" + name + "\"[4] is " + state[4] + "; it must be 0 or 1 (whether a spare Gaussian is held)");
        }
        if (state[4] == 1 && !Double.isFinite(Double.longBitsToDouble(state[5]))) {
            throw new FileFormatException(file, "\"" + name + "\"[5] is " + state[5] + ", the bits of "
                    + Double.longBitsToDouble(state[5]) + "; a held spare Gaussian is a finite number");
        }
        return state;
    }

    /** {@code bytes} as a strict JSON object (UTF-8, nothing after it). */
    private static JsonObject jsonObject(Path file, byte[] bytes) throws FileFormatException {
        JsonReader reader;
        try {
            reader = new JsonReader(new StringReader(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString()));
        } catch (CharacterCodingException e) {
            throw new FileFormatException(file, "is not UTF-8 text", e);
        }
        reader.setStrictness(Strictness.STRICT);
        JsonElement root;
        try {
            root = GSON.getAdapter(JsonElement.class).read(reader);
        } catch (IOException | JsonParseException | IllegalStateException e) {
            throw FileFormatException.notJson(file, e);
        }
        if (!root.isJsonObject()) throw new FileFormatException(file, "is not a JSON object");
        try {
            if (reader.peek() == JsonToken.END_DOCUMENT) return root.getAsJsonObject();
        } catch (IOException notJson) {
            // more text, and not even JSON
        }
        throw new FileFormatException(file, "has more after its JSON object");
    }

    /** A field that must be a whole number in the range of a long. */
    private static long integer(Path file, JsonObject root, String name) throws FileFormatException {
        JsonElement value = root.get(name);
        if (value == null) throw new FileFormatException(file, "has no \"" + name + "\" field");
        return integer(file, "\"" + name + "\"", value);
    }

    private static long integer(Path file, String what, JsonElement value) throws FileFormatException {
        if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
            try {
                // The literal itself: Gson's getAsLong would truncate 1.5 to 1.
                return Long.parseLong(value.getAsString());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new FileFormatException(file, what + " is " + value + "; it must be a whole number from "
                + Long.MIN_VALUE + " to " + Long.MAX_VALUE);
    }

    /** A field that must be an array of {@code length} whole numbers. */
    private static long[] integers(Path file, JsonObject root, String name, int length) throws FileFormatException {
        JsonElement value = root.get(name);
        if (value == null) throw new FileFormatException(file, "has no \"" + name + "\" field");
        if (!value.isJsonArray() || value.getAsJsonArray().size() != length) {
            String shown = value.toString();
            throw new FileFormatException(file, "\"" + name + "\" is " + (shown.length() > 200 ? shown.substring(0, 200) + "..." : shown)
                    + "; it must be an array of " + length + " whole numbers");
        }
        long[] out = new long[length];
        for (int i = 0; i < length; i++) out[i] = integer(file, "\"" + name + "\"[" + i + "]", value.getAsJsonArray().get(i));
        return out;
    }

    /** A model's state dict as a safetensors file; PyTorch's int64 counters are written as I64. */
    static void writeModel(Path file, Module model, Map<String, String> metadata) throws IOException {
        Map<String, Safetensors.Entry> entries = new LinkedHashMap<>();
        model.stateDict().forEach((name, tensor) -> entries.put(name, StateDicts.isInt64(name)
                ? new Safetensors.I64(new long[] {(long) tensor.item()}, tensor.shape())
                : new Safetensors.F32(tensor)));
        Safetensors.write(file, entries, metadata);
    }

    /** Loads a model's weights from a safetensors state dict; names and shapes must match exactly. */
    static void loadModel(Path file, Module model) throws IOException {
        loadModel(file, Safetensors.read(file), model);
    }

    static void loadModel(Path file, Safetensors.Contents contents, Module model) throws IOException {
        try {
            model.loadStateDict(contents.stateDict(), true);
        } catch (IllegalArgumentException e) {
            // The message lists the file's names that the model lacks: a hostile file could make that megabytes.
            throw new IOException(file + " does not fit this model: " + FileFormatException.excerpt(e.getMessage(), 1000), e);
        }
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
        Map<String, Tensor> state = contents.stateDict();
        try {
            if (!IN_OUT.equals(contents.metadata().get(DENSE_KERNEL_LAYOUT))) {
                for (Parameter p : Parameter.ofKind(optimizer.parameters(), Parameter.Kind.DENSE_KERNEL)) {
                    state.replaceAll((name, slot) -> name.startsWith(p.name() + ".") ? Layouts.transpose(slot) : slot);
                }
            }
            optimizer.loadState(state);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " does not fit this run's optimiser: " + FileFormatException.excerpt(e.getMessage(), 1000), e);
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
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
