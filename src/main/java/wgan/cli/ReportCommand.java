package wgan.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import wgan.train.RunReport;

/** {@code wgan report <run>}: writes a run's report.html anew from its folder, e.g. for a run trained before the report existed. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a run's report.html anew from the files of its folder (a run writes it at every sample step).")
public final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN", description = "The run's folder (out/<run>).")
    Path run;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        spec.commandLine().getOut().println("Wrote " + RunReport.write(run).toAbsolutePath());
        return 0;
    }
}
