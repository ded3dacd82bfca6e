package wgan.data;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import wgan.io.FileFormatException;

/**
 * A dataset in IDX files (MNIST, Fashion-MNIST): which four files it has, their SHA-256, where to
 * download them, and where to look for them on this machine.
 *
 * <p>A file may be present gzipped ({@code NAME.gz}, as downloaded) or unpacked ({@code NAME}). Both
 * checksums are kept: that of the .gz to check a download, that of the content to check whatever is
 * loaded (a re-compressed file, such as Debian's, has another .gz checksum but the same content).
 *
 * @param name       the name on the command line and of the folder under {@code datasets/}
 * @param title      the name people know, for messages
 * @param mirrors    base URLs to download from, tried in order
 * @param systemDirs further folders to look in, after {@code datasets/<name>/}
 * @param files      the four files: train images, train labels, test images, test labels
 */
public record DatasetFiles(String name, String title, List<URI> mirrors, List<Path> systemDirs, List<FileSpec> files) {

    public enum Split {
        TRAIN("train"), TEST("t10k");

        /** How the split's file names start. */
        public final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }
    }

    /**
     * One file of a dataset.
     *
     * @param name          the file name without {@code .gz}
     * @param gzSha256      SHA-256 of the .gz file as published
     * @param contentSha256 SHA-256 of the uncompressed content
     */
    public record FileSpec(String name, String gzSha256, String contentSha256) {
        public String gzName() {
            return name + ".gz";
        }
    }

    public static final DatasetFiles MNIST = new DatasetFiles("mnist", "MNIST",
            List.of(URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                    URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/")),
            List.of(),
            List.of(new FileSpec("train-images-idx3-ubyte",
                            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
                    new FileSpec("train-labels-idx1-ubyte",
                            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
                    new FileSpec("t10k-images-idx3-ubyte",
                            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
                    new FileSpec("t10k-labels-idx1-ubyte",
                            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
                            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2")));

    public static final DatasetFiles FASHION_MNIST = new DatasetFiles("fashion-mnist", "Fashion-MNIST",
            List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")),
            // Debian's package dataset-fashion-mnist installs the files here (re-compressed: only the content checksums match).
            List.of(Path.of("/usr/share/datasets/fashion-mnist")),
            List.of(new FileSpec("train-images-idx3-ubyte",
                            "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
                    new FileSpec("train-labels-idx1-ubyte",
                            "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
                    new FileSpec("t10k-images-idx3-ubyte",
                            "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
                    new FileSpec("t10k-labels-idx1-ubyte",
                            "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
                            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34")));

    public static final List<DatasetFiles> KNOWN = List.of(MNIST, FASHION_MNIST);

    public DatasetFiles {
        mirrors = List.copyOf(mirrors);
        systemDirs = List.copyOf(systemDirs);
        files = List.copyOf(files);
    }

    /** The known dataset called {@code name} (case-insensitive). */
    public static DatasetFiles byName(String name) {
        for (DatasetFiles d : KNOWN) {
            if (d.name.equals(name.toLowerCase(Locale.ROOT))) return d;
        }
        throw new IllegalArgumentException("unknown dataset '" + name + "'; known: "
                + String.join(", ", KNOWN.stream().map(DatasetFiles::name).toList()));
    }

    public FileSpec images(Split split) {
        return file(split.prefix + "-images-idx3-ubyte");
    }

    public FileSpec labels(Split split) {
        return file(split.prefix + "-labels-idx1-ubyte");
    }

    private FileSpec file(String fileName) {
        return files.stream().filter(f -> f.name.equals(fileName)).findFirst()
                .orElseThrow(() -> new IllegalStateException(title + " has no file " + fileName));
    }

    /** Where {@code wgan download} puts the files, and the first place looked in: {@code datasets/<name>} under the working directory. */
    public Path defaultDir() {
        return Path.of("datasets", name);
    }

    /**
     * The folder holding both files of {@code split}: {@code explicitDir} if given (the user's
     * {@code --data}; never replaced by another folder), otherwise the first of
     * {@code datasets/<name>/} and the system folders that has them.
     *
     * @throws DatasetNotFoundException saying where it looked and how to get the files
     */
    public Path locate(Path explicitDir, Split split) throws DatasetNotFoundException {
        List<Path> candidates = new ArrayList<>();
        if (explicitDir != null) {
            candidates.add(explicitDir);
        } else {
            candidates.add(defaultDir());
            candidates.addAll(systemDirs);
        }
        for (Path dir : candidates) {
            if (find(dir, images(split)) != null && find(dir, labels(split)) != null) return dir;
        }
        StringBuilder msg = new StringBuilder(title + " " + split.name().toLowerCase(Locale.ROOT) + " files not found. Looked in:\n");
        for (Path dir : candidates) {
            msg.append("  ").append(dir.toAbsolutePath()).append(Files.isDirectory(dir) ? "" : " (no such folder)").append('\n');
        }
        msg.append("Missing: ").append(images(split).gzName()).append(" and/or ").append(labels(split).gzName()).append(".\n");
        msg.append(howToGet(explicitDir != null ? explicitDir : defaultDir()));
        throw new DatasetNotFoundException(msg.toString());
    }

    /** What to do to get the files into {@code dir}: the download command, or copying them by hand. */
    public String howToGet(Path dir) {
        return "To get them, either\n  - run: " + downloadCommand(dir) + "   (needs network access), or\n  - " + manualSteps(dir);
    }

    /** The command that downloads the files into {@code dir}. */
    public String downloadCommand(Path dir) {
        return "wgan download " + name + (dir.equals(defaultDir()) ? "" : " --to " + dir);
    }

    /** How to put the files into {@code dir} by hand, with their checksums. */
    public String manualSteps(Path dir) {
        StringBuilder s = new StringBuilder("copy these four files into " + dir + "/ (gzipped as published, or unpacked without .gz):\n");
        for (FileSpec f : files) s.append("      ").append(f.gzSha256).append("  ").append(f.gzName()).append('\n');
        if (!mirrors.isEmpty()) s.append("    They are at ").append(mirrors.get(0)).append("FILE.\n");
        s.append("    Check them with sha256sum -c: the lines above are in its format.\n");
        return s.toString();
    }

    /** The file in {@code dir}, gzipped or not; null if neither is there. */
    public static Path find(Path dir, FileSpec file) {
        for (String fileName : new String[] {file.gzName(), file.name()}) {
            Path p = dir.resolve(fileName);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    /**
     * Loads one split from the folder {@link #locate} picks, checking both files' format and the
     * SHA-256 of their content.
     */
    public LabeledImages load(Path explicitDir, Split split, Consumer<String> warnings) throws IOException {
        Path dir = locate(explicitDir, split);
        FileSpec imagesSpec = images(split);
        FileSpec labelsSpec = labels(split);
        Path imagesFile = find(dir, imagesSpec);
        Path labelsFile = find(dir, labelsSpec);
        Idx.Images images = Idx.readImages(imagesFile, help(imagesSpec, dir));
        checkContent(imagesFile, imagesSpec, images.sha256(), dir, warnings);
        Idx.Labels labels = Idx.readLabels(labelsFile, help(labelsSpec, dir));
        checkContent(labelsFile, labelsSpec, labels.sha256(), dir, warnings);
        if (labels.labels().length != images.count()) {
            throw new FileFormatException(labelsFile, "has " + labels.labels().length + " labels but " + imagesFile.getFileName()
                    + " has " + images.count() + " images; the two files do not belong together. " + help(labelsSpec, dir));
        }
        return new LabeledImages(images.count(), images.rows(), images.cols(), images.pixels(), labels.labels());
    }

    /**
     * A well-formed file whose content is not the original's is a warning, not an error: users
     * train on their own MNIST-format files (subsets, other digit sets), and damage that breaks
     * the format, a truncation or a gzip CRC error, is already an error in {@link Idx}.
     */
    private void checkContent(Path file, FileSpec spec, String sha256, Path dir, Consumer<String> warnings) {
        if (!sha256.equals(spec.contentSha256)) {
            warnings.accept(file + " is a valid IDX file, but its uncompressed content has SHA-256 " + sha256
                    + ", not that of the original " + title + " file: using it anyway. " + help(spec, dir));
        }
    }

    /** Where a file should come from, for the end of an error message. */
    String help(FileSpec f, Path dir) {
        return "It should be the " + title + " file " + f.gzName() + " (SHA-256 " + f.gzSha256 + "; uncompressed, SHA-256 "
                + f.contentSha256 + ") in " + dir.toAbsolutePath() + "; get it again with: " + downloadCommand(dir);
    }
}
