package wgan.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import wgan.fuzz.Fuzz;
import wgan.tensor.Tensor;

/** Mutated .npy files either load or are a {@link FileFormatException}; nothing else, each in under a second. */
class NpyFuzzTest {

    @TempDir
    Path dir;

    @Test
    void mutatedFilesLoadOrGiveAFileFormatException() throws IOException {
        Path file = dir.resolve("fuzz.npy");
        Fuzz.run("npy", validFiles(), Fuzz.cases(2000), FileFormatException.class, bytes -> {
            Files.write(file, bytes);
            Npy.read(file);
        });
    }

    /** Small arrays as wgan's own writer writes them: a scalar, vectors (one empty), a latent matrix, a batch of images. */
    private List<byte[]> validFiles() throws IOException {
        List<Tensor> arrays = List.of(Tensor.scalar(1.5f), Tensor.of(new float[] {1, 2, 3}, 3), Tensor.zeros(0),
                Tensor.of(new float[] {0.25f, -1, 2, 1e9f, -0f, 7}, 2, 3), Tensor.zeros(2, 1, 4, 4));
        List<byte[]> files = new ArrayList<>();
        for (int i = 0; i < arrays.size(); i++) {
            Path file = dir.resolve("valid" + i + ".npy");
            Npy.write(file, arrays.get(i));
            files.add(Files.readAllBytes(file));
        }
        return files;
    }
}
