package wgan.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<Path> listing(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }

    @Test
    void writesAndReplacesCreatingParentFolders() throws IOException {
        Path file = dir.resolve("a/b/out.bin");
        AtomicFiles.write(file, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(file));
        AtomicFiles.write(file, new byte[] {4});
        assertArrayEquals(new byte[] {4}, Files.readAllBytes(file));
        assertEquals(List.of(file.toAbsolutePath()), listing(file.getParent()).stream().map(Path::toAbsolutePath).toList(),
                "no temporary file is left beside the target");
    }

    @Test
    void failedWriteKeepsTheOldFileAndRemovesTheTemporaryOne() throws IOException {
        Path file = dir.resolve("keep.txt");
        Files.writeString(file, "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write("half of the new".getBytes());
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("old", Files.readString(file));
        assertEquals(List.of(file), listing(dir));
    }

    @Test
    void newFileGetsTheUsualPermissionsNotTheOwnerOnlyOnesOfATempFile() throws IOException {
        Path file = dir.resolve("shared.png");
        AtomicFiles.write(file, new byte[] {0});
        Path plain = Files.writeString(dir.resolve("plain"), "x");
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
            assertEquals(expected, Files.getPosixFilePermissions(file));
        }
        assertTrue(Files.isRegularFile(file));
    }

    @Test
    void leftoversOfKilledWritesAreRemovedAndNothingElse() throws IOException {
        Path leftover = Files.writeString(dir.resolve(".log.csv.3f9e01a2b4c5d6e7.tmp"), "half");
        Path[] keptFiles = {Files.writeString(dir.resolve("log.csv"), "x"), Files.writeString(dir.resolve(".lock"), "pid 1"),
                Files.writeString(dir.resolve("notes.tmp"), "mine"), Files.createDirectory(dir.resolve(".x.1a.tmp"))};
        assertEquals(List.of(leftover.getFileName().toString()), AtomicFiles.removeLeftovers(dir));
        assertEquals(Set.of(keptFiles), Set.copyOf(listing(dir)));
    }
}
