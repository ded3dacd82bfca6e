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
import wgan.data.DataHome;

/** {@code wgan download mnist|fashion-mnist [--to DIR] [--mirror URL]}. */
@Command(name = "download", mixinStandardHelpOptions = true,
        description = {"Download a dataset's four IDX .gz files into the user's cache ($XDG_CACHE_HOME/wgan/datasets, or ~/.cache/wgan/datasets), "
                + "where training finds them. Each file's SHA-256 is checked before it is used; files already present and valid are kept, "
                + "and an interrupted download resumes."})
public final class DownloadCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DATASET", description = "mnist or fashion-mnist")
    String dataset;

    @Option(names = "--to", paramLabel = "DIR", description = "folder to put the files in instead (then train with --data DIR)")
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
        DataHome home = DataHome.standard();
        Path dir = to != null ? to : home.cacheDir(ds);
        List<URI> mirrors = mirror != null ? List.of(mirror) : ds.mirrors();
        PrintWriter out = spec.commandLine().getOut();
        try {
            home.download().fetch(ds, dir, mirrors);
            out.println(ds.title() + " is in " + dir.toAbsolutePath());
            return 0;
        } catch (IOException e) {
            spec.commandLine().getErr().println("wgan: " + e.getMessage());
            return 2;
        }
    }
}
