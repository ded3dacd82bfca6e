package wgan.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import wgan.data.DatasetFiles;
import wgan.data.Download;

/** {@code wgan download mnist|fashion-mnist [--to DIR] [--mirror URL]}. */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = "Download a dataset's four IDX .gz files and check their SHA-256. Files already present and valid are kept.")
public final class DownloadCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DATASET", description = "mnist or fashion-mnist")
    String dataset;

    @Option(names = "--to", paramLabel = "DIR", description = "folder to put the files in (default: datasets/DATASET)")
    Path to;

    @Option(names = "--mirror", paramLabel = "URL", description = "base URL to download from instead of the standard mirrors")
    URI mirror;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        DatasetFiles ds;
        try {
            ds = DatasetFiles.byName(dataset);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        Path dir = to != null ? to : ds.defaultDir();
        List<URI> mirrors = mirror != null ? List.of(mirror) : ds.mirrors();
        PrintWriter out = spec.commandLine().getOut();
        try {
            new Download(out::println).fetch(ds, dir, mirrors);
            out.println(ds.title() + " is in " + dir.toAbsolutePath());
            return 0;
        } catch (IOException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
    }
}
