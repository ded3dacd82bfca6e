package wgan.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.fuzz.Fuzz;
import wgan.tensor.Tensor;

/** Mutated safetensors files either load (as a state dict too) or are a {@link FileFormatException}; nothing else, each in under a second. */
class SafetensorsFuzzTest {

    @TempDir
    Path dir;

    @Test
    void mutatedFilesLoadOrGiveAFileFormatException() throws IOException {
        Path file = dir.resolve("fuzz.safetensors");
        Fuzz.run("safetensors", validFiles(), Fuzz.cases(2000), FileFormatException.class, bytes -> {
            Files.write(file, bytes);
            Safetensors.read(file).stateDict();
        });
    }

    /** Small files of wgan's own writer: a model's state dict with a BatchNorm counter and metadata, a scalar, and no tensors at all. */
    private List<byte[]> validFiles() throws IOException {
        Map<String, Safetensors.Entry> model = new LinkedHashMap<>();
        model.put("0.weight", new Safetensors.F32(Tensor.of(new float[] {1, -2, 3.5f, 0, 1e-3f, 7}, 2, 3)));
        model.put("0.bias", new Safetensors.F32(Tensor.of(new float[] {0.5f, -0.5f}, 2)));
        model.put("1.running_var", new Safetensors.F32(Tensor.of(new float[] {1, 1, 1, 1}, 1, 2, 2, 1)));
        model.put("1.num_batches_tracked", new Safetensors.I64(new long[] {42}, new int[0]));
        List<Map<String, Safetensors.Entry>> contents = List.of(model,
                Map.of("x", new Safetensors.F32(Tensor.scalar(3f))), Map.of());
        List<Map<String, String>> metadata = List.of(Map.of("format", "pt", "model", "e1"), Map.of(), Map.of("k", "v"));
        List<byte[]> files = new ArrayList<>();
        for (int i = 0; i < contents.size(); i++) {
            Path file = dir.resolve("valid" + i + ".safetensors");
            Safetensors.write(file, contents.get(i), metadata.get(i));
            files.add(Files.readAllBytes(file));
        }
        return files;
    }
}
