package wgan.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FileErrorsTest {

    @Test
    void errorsThatJavaWordsAsABarePathSayWhatWentWrong() {
        assertEquals("/runs/a/log.csv: permission denied", FileErrors.describe(new AccessDeniedException("/runs/a/log.csv")));
        assertEquals("/runs/a/critic.safetensors: no such file or folder",
                FileErrors.describe(new NoSuchFileException("/runs/a/critic.safetensors")));
        assertEquals("/a -> /b: permission denied", FileErrors.describe(new AccessDeniedException("/a", "/b", null)));
    }

    @Test
    void errorsThatAlreadyNameFileAndProblemAreKept() {
        assertEquals("/runs: No space left on device", FileErrors.describe(new FileSystemException("/runs", null, "No space left on device")));
        assertEquals("/x.npy: not an NPY file", FileErrors.describe(new FileFormatException(Path.of("/x.npy"), "not an NPY file")));
        FileFormatException named = new FileFormatException(Path.of("/x"), "bad");
        assertSame(named, FileErrors.naming(Path.of("/y"), named));
    }

    /** Linux's /dev/full fails every write with ENOSPC, as a full disk does. */
    @Test
    void aStreamsNoSpaceLeftNamesItsFile() throws IOException {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full));
        try (OutputStream out = FileErrors.naming(Path.of("/runs/a/log.csv"), new FileOutputStream(full.toFile()))) {
            IOException e = assertThrows(IOException.class, () -> out.write(new byte[100], 0, 100));
            assertEquals("/runs/a/log.csv: No space left on device", e.getMessage());
        }
    }
}
