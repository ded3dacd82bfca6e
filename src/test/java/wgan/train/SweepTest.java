package wgan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import wgan.io.FileFormatException;

/** Sweep files: their runs in order, and every mistake named with the file. */
class SweepTest {
    @TempDir
    Path tmp;

    private Path file(String text) throws IOException {
        Path file = tmp.resolve("grid.json");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void everyCombinationOverTheBaseTheFirstSettingSlowest() throws IOException {
        Sweep sweep = Sweep.read(file("{\"preset\": \"e1\", \"batch\": 32, \"sweep\": {\"seed\": [1, 2], \"clip\": [0.01, 0.02]}}"));
        assertEquals(List.of("1-seed-1_clip-0.01", "2-seed-1_clip-0.02", "3-seed-2_clip-0.01", "4-seed-2_clip-0.02"),
                sweep.runs().stream().map(Sweep.Run::name).toList());
        Sweep.Run third = sweep.runs().get(2);
        assertEquals(Map.of("seed", "2", "clip", "0.01"), third.values());
        assertEquals(2L, third.config().get(Settings.SEED));
        assertEquals(0.01, third.config().get(Settings.CLIP));
        assertEquals(32, third.config().get(Settings.BATCH), "the base's settings hold in every run");
    }

    @Test
    void aFolderHoldingAnotherSweepIsRefused() throws IOException {
        Path out = tmp.resolve("out");
        Path folder = Sweep.read(file("{\"sweep\": {\"seed\": [1, 2]}}")).prepare(out);
        assertEquals(folder, Sweep.read(file("{ \"sweep\": {\"seed\": [1,2]} }")).prepare(out), "the same sweep, spaced otherwise");
        IOException e = assertThrows(IOException.class, () -> Sweep.read(file("{\"sweep\": {\"seed\": [1, 3]}}")).prepare(out));
        assertTrue(e.getMessage().contains("holds the runs of another sweep"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"seed\": 1}|has no \"sweep\" object naming the settings to vary",
            "{\"sweep\": [1, 2]}|has no \"sweep\" object",
            "{\"sweep\": {}}|has no \"sweep\" object",
            "{\"sweep\": {\"speed\": [1]}}|\"sweep\" names \"speed\", which is not a setting; the settings are preset,",
            "{\"sweep\": {\"seed\": 3}}|\"sweep\": \"seed\" must be a list of one or more values, got 3",
            "{\"sweep\": {\"seed\": []}}|\"sweep\": \"seed\" must be a list of one or more values, got []",
            "{\"sweep\": {\"clip\": [0.01, -1]}}|\"sweep\": clip must be",
            "{\"sweep\": {\"clip\": [0.01, 0.01]}}|\"sweep\": \"clip\" lists 0.01 twice",
            "{\"batch\": 1, \"sweep\": {\"seed\": [1]}}|batch must be 2-4096, got 1",
            "{\"sweep\": {\"seed\": [1, 2], \"latent\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100], \"n-critic\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51]}}|\"sweep\" makes over 10000 runs",
            "[1, 2]|is not a JSON object of settings",
            "{\"sweep\": |",
    })
    void aWrongFileIsRefusedNamingItAndWhatIsWrong(String text, String problem) throws IOException {
        Path file = file(text);
        FileFormatException e = assertThrows(FileFormatException.class, () -> Sweep.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(problem == null ? "" : problem), e.getMessage());
    }
}
