package wgan.train;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import wgan.fuzz.Fuzz;
import wgan.io.FileFormatException;

/**
 * Mutated config.json files (every preset's, in the current format and the first, as a run writes
 * them and as bare settings) either make a valid configuration or are refused with a
 * {@link FileFormatException} naming the file, never another error.
 */
class ConfigJsonFuzzTest {

    @Test
    void mutatedConfigJsonIsAValidConfigOrAFileFormatException() throws Exception {
        List<byte[]> valid = new ArrayList<>();
        for (TrainConfig.Preset p : TrainConfig.Preset.values()) {
            String settings = p.config().with(Settings.DATA, java.util.Optional.of(Path.of("data"))).toJson();
            valid.add(settings.getBytes(StandardCharsets.UTF_8));
            valid.add(("{\"config\": " + settings + ", \"run\": {\"threads\": 2}, \"trainingImages\": 6265}").getBytes(StandardCharsets.UTF_8));
        }
        valid.add(getClass().getResourceAsStream("first-format-config.json").readAllBytes());
        Path file = Path.of("run/config.json");
        Fuzz.run("config.json", valid, Fuzz.cases(2000), FileFormatException.class,
                bytes -> Settings.fromFile(Settings.readJson(new String(bytes, StandardCharsets.UTF_8), file), file));
    }
}
