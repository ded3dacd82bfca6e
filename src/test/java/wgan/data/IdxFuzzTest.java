package wgan.data;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import wgan.fuzz.Fuzz;
import wgan.io.FileFormatException;

/** Mutated IDX files, raw and gzipped: each loads or is a {@link FileFormatException}. */
class IdxFuzzTest {

    private static final Path NAME = Path.of("fuzzed.idx");

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** Each valid file as is and gzipped. */
    private static List<byte[]> rawAndGzipped(byte[]... files) {
        return Arrays.stream(files).flatMap(f -> Stream.of(f, IdxFiles.gzip(f))).toList();
    }

    @Test
    void imageFiles() {
        List<byte[]> valid = rawAndGzipped(IdxFiles.images(3, 5, 4, randomBytes(60, 1)),
                IdxFiles.images(1, 28, 28, randomBytes(784, 2)));
        Fuzz.run("IDX images", valid, Fuzz.cases(2000), FileFormatException.class,
                input -> Idx.readImages(NAME, new ByteArrayInputStream(input), "help"));
    }

    @Test
    void labelFiles() {
        List<byte[]> valid = rawAndGzipped(IdxFiles.labels(randomBytes(10, 3)), IdxFiles.labels(new byte[] {7}));
        Fuzz.run("IDX labels", valid, Fuzz.cases(2000), FileFormatException.class,
                input -> Idx.readLabels(NAME, new ByteArrayInputStream(input), "help"));
    }
}
