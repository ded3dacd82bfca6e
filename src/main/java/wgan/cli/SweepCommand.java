package wgan.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import wgan.data.DataHome;
import wgan.kernels.DeviceUnavailableException;
import wgan.train.Sweep;
import wgan.train.SweepTable;
import wgan.train.TrainingRun;

/**
 * {@code wgan sweep FILE}: the runs of a sweep ({@link Sweep}), one after another in this process,
 * then the sweep's table ({@link SweepTable}). {@code --run NAME} trains one of them only, which is
 * how the Spark runner (the optional wgan-spark.jar) and anyone who spreads the runs by hand run
 * each. Run again into the same folder, a sweep resumes its unfinished runs and skips finished ones.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train every combination of the settings a sweep file varies, each as an ordinary run with its own folder, "
                + "then write sweep.csv and sweep.html, the runs sorted by their best Fréchet distance.%n",
                "The file is a --config file with one more key, e.g. {\"preset\": \"e1\", \"iterations\": 100, "
                        + "\"sweep\": {\"seed\": [1, 2], \"clip\": [0.01, 0.02]}}. Running it again resumes what is unfinished."})
public final class SweepCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "The sweep file.")
    Path file;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder under which the sweep gets its folder, sweep-<FILE's name> (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out");

    @Option(names = "--run", paramLabel = "NAME", description = "Train only this run of the sweep (its folder's name), and write no table.")
    String run;

    @Mixin
    ThreadsOption threads;

    @Mixin
    DeviceOption device;

    @Option(names = "--verbose", description = "Print every iteration's losses as a line, even on a terminal.")
    boolean verbose;

    @Option(names = "--offline", description = "Never download a dataset.")
    boolean offline;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, DeviceUnavailableException {
        threads.apply();
        device.apply();
        if (offline) DataHome.goOffline();
        Sweep sweep = Sweep.read(file);
        Path folder = sweep.prepare(out);
        if (run != null) {
            Sweep.Run one;
            try {
                one = sweep.run(run);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--run: " + e.getMessage());
            }
            return TrainingRun.startOrResume(one.config(), folder.resolve(one.name()), verbose);
        }
        PrintWriter say = spec.commandLine().getOut();
        int result = 0;
        for (int i = 0; i < sweep.runs().size(); i++) {
            Sweep.Run r = sweep.runs().get(i);
            say.printf("Sweep run %d of %d: %s%n", i + 1, sweep.runs().size(), r.name());
            say.flush();
            int code = TrainingRun.startOrResume(r.config(), folder.resolve(r.name()), verbose);
            // Ctrl-C or SIGTERM stops the sweep; a run that failed on its own (a non-finite loss) does not stop the others.
            if (code == TrainingRun.EXIT_INTERRUPTED) {
                SweepTable.write(sweep, folder);
                return code;
            }
            if (result == 0) result = code;
        }
        SweepTable.write(sweep, folder);
        say.println("Wrote " + folder.resolve(SweepTable.CSV).toAbsolutePath() + " and " + SweepTable.HTML);
        return result;
    }
}
