package wgan.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * <p>Without {@code --data}, a dataset is looked for in {@code datasets/<name>/} under the working
 * folder, then in the user's cache ({@link DataHome}), the system folders, and inside wgan.jar (MNIST
 * is packed there, so {@code --digit 7} trains with no files at all); if it is in none of them, it is
 * downloaded into the cache.
 *
 * @param name          the name on the command line and of the folder under {@code datasets/}
 * @param title         the name people know, for messages
 * @param mirrors       base URLs to download from, tried in order
 * @param systemDirs    further folders to look in, after the cache
 * @param debianPackage the Debian package that installs the files into the first system folder, or null
 * @param bundled       the classpath folder holding the .gz files inside wgan.jar, or null
 * @param files         the four files: train images, train labels, test images, test labels
 */
public record DatasetFiles(String name, String title, List<URI> mirrors, List<Path> systemDirs, String debianPackage,
                           String bundled, List<FileSpec> files) {

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
            List.of(), null, "wgan/datasets/mnist",
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
            List.of(Path.of("/usr/share/datasets/fashion-mnist")), "dataset-fashion-mnist", null,
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
        if (debianPackage != null && systemDirs.isEmpty()) throw new IllegalArgumentException("a Debian package needs its folder");
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

    /** The first place looked in: {@code datasets/<name>} under the working directory. */
    public Path defaultDir() {
        return Path.of("datasets", name);
    }

    /** The folders looked in without {@code --data}, in order; the last may be inside wgan.jar. */
    public List<Path> searchPath(DataHome home) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(defaultDir());
        dirs.add(home.cacheDir(this));
        dirs.addAll(systemDirs);
        bundledDir().ifPresent(dirs::add);
        return dirs;
    }

    /**
     * The folder of the files packed into wgan.jar (or, run from the build's classes, into its
     * resources), opened as a file system of its own; empty if this dataset has none.
     */
    public synchronized Optional<Path> bundledDir() {
        if (bundled == null) return Optional.empty();
        URL url = DatasetFiles.class.getClassLoader().getResource(bundled + "/" + files.get(0).gzName());
        if (url == null) return Optional.empty();
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                // A jar: URI needs its zip file system opened once; it then stays open for the process.
                try {
                    FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException alreadyOpen) {
                    // Opened by an earlier call.
                }
            }
            return Optional.of(Path.of(uri).getParent());
        } catch (URISyntaxException | IOException e) {
            throw new UncheckedIOException("wgan.jar's copy of " + title + " cannot be opened (" + e.getMessage() + ")",
                    e instanceof IOException io ? io : new IOException(e));
        }
    }

    /**
     * The folder holding both files of {@code split}: {@code explicitDir} if given (the user's
     * {@code --data}; never replaced by another folder), otherwise the first folder of
     * {@link #searchPath} that has them.
     *
     * @throws DatasetNotFoundException saying where it looked and how to get the files
     */
    public Path locate(Path explicitDir, Split split, DataHome home) throws DatasetNotFoundException {
        Optional<Path> found = find(explicitDir, split, home);
        if (found.isPresent()) return found.get();
        throw new DatasetNotFoundException(notFound(explicitDir, split, home) + howToGet(explicitDir, home));
    }

    private Optional<Path> find(Path explicitDir, Split split, DataHome home) {
        List<Path> candidates = explicitDir != null ? List.of(explicitDir) : searchPath(home);
        return candidates.stream().filter(dir -> find(dir, images(split)) != null && find(dir, labels(split)) != null).findFirst();
    }

    private String notFound(Path explicitDir, Split split, DataHome home) {
        StringBuilder msg = new StringBuilder(title + " " + split.name().toLowerCase(Locale.ROOT) + " files not found. Looked in:\n");
        for (Path dir : explicitDir != null ? List.of(explicitDir) : searchPath(home)) {
            String what = Files.isDirectory(dir) ? "" : Files.exists(dir) ? " (a file, not a folder)" : " (no such folder)";
            msg.append("  ").append(dir.toAbsolutePath()).append(what).append('\n');
        }
        msg.append("Missing: ").append(images(split).gzName()).append(" and/or ").append(labels(split).gzName()).append(".\n");
        return msg.toString();
    }

    /**
     * What to do to get the files: the download command, copying them by hand (into the cache, or
     * into any folder given with {@code --data}), and the Debian package where there is one.
     */
    public String howToGet(Path explicitDir, DataHome home) {
        Path dir = explicitDir != null ? explicitDir : home.cacheDir(this);
        StringBuilder s = new StringBuilder("To get them, either\n");
        s.append("  - run: ").append(downloadCommand(dir, home)).append("   (needs network access), or\n");
        s.append("  - ").append(manualSteps(dir));
        if (explicitDir == null) s.append("    (or put them in any folder and give it with --data DIR)\n");
        if (debianPackage != null) {
            s.append("  - on Debian or Ubuntu: sudo apt-get install ").append(debianPackage)
                    .append("   (installs them into ").append(systemDirs.get(0)).append(")\n");
        }
        return s.toString();
    }

    /** The command that downloads the files into {@code dir}. */
    public String downloadCommand(Path dir, DataHome home) {
        return "java -jar wgan.jar download " + name + (dir.equals(home.cacheDir(this)) ? "" : " --to " + dir);
    }

    /** How to put the files into {@code dir} by hand, with their checksums. */
    public String manualSteps(Path dir) {
        StringBuilder s = new StringBuilder("copy these four files into " + dir.toAbsolutePath() + "/ (gzipped as published, or unpacked without .gz):\n");
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
     * Loads one split, checking both files' format and the SHA-256 of their content. Without
     * {@code --data} a dataset found nowhere is downloaded into the cache first, unless
     * {@code home} is offline; where that fails, the error says how to get the files by hand.
     */
    public LabeledImages load(Path explicitDir, Split split, DataHome home, Consumer<String> warnings) throws IOException {
        Optional<Path> found = find(explicitDir, split, home);
        Path dir;
        if (found.isPresent()) {
            dir = found.get();
        } else if (explicitDir != null || home.offline() || mirrors.isEmpty()) {
            throw new DatasetNotFoundException(notFound(explicitDir, split, home)
                    + (explicitDir == null && home.offline() ? "wgan is offline (--offline), so it did not download them.\n" : "")
                    + howToGet(explicitDir, home));
        } else {
            dir = home.cacheDir(this);
            try {
                home.download().fetch(this, dir, mirrors);
            } catch (Download.DownloadException e) {
                throw new DatasetNotFoundException(notFound(null, split, home) + "Downloading them into " + dir.toAbsolutePath()
                        + " failed:\n" + e.failures() + howToGet(null, home));
            }
        }
        FileSpec imagesSpec = images(split);
        FileSpec labelsSpec = labels(split);
        Path imagesFile = find(dir, imagesSpec);
        Path labelsFile = find(dir, labelsSpec);
        Idx.Images images = Idx.readImages(imagesFile, help(imagesSpec, dir, home));
        checkContent(imagesFile, imagesSpec, images.sha256(), dir, home, warnings);
        Idx.Labels labels = Idx.readLabels(labelsFile, help(labelsSpec, dir, home));
        checkContent(labelsFile, labelsSpec, labels.sha256(), dir, home, warnings);
        if (labels.labels().length != images.count()) {
            throw new FileFormatException(labelsFile, "has " + labels.labels().length + " labels but " + imagesFile.getFileName()
                    + " has " + images.count() + " images; the two files do not belong together. " + help(labelsSpec, dir, home));
        }
        return new LabeledImages(images.count(), images.rows(), images.cols(), images.pixels(), labels.labels());
    }

    /**
     * A well-formed file whose content is not the original's is a warning, not an error: users
     * train on their own MNIST-format files (subsets, other digit sets), and damage that breaks
     * the format, a truncation or a gzip CRC error, is already an error in {@link Idx}.
     */
    private void checkContent(Path file, FileSpec spec, String sha256, Path dir, DataHome home, Consumer<String> warnings) {
        if (!sha256.equals(spec.contentSha256)) {
            warnings.accept(file + " is a valid IDX file, but its uncompressed content has SHA-256 " + sha256
                    + ", not that of the original " + title + " file: using it anyway. " + help(spec, dir, home));
        }
    }

    /** Where a file should come from, for the end of an error message. */
    String help(FileSpec f, Path dir, DataHome home) {
        return "It should be the " + title + " file " + f.gzName() + " (SHA-256 " + f.gzSha256 + "; uncompressed, SHA-256 "
                + f.contentSha256 + ") in " + dir.toAbsolutePath() + "; get it again with: " + downloadCommand(dir, home);
    }
}
