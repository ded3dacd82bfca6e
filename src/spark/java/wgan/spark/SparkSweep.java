package wgan.spark;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import wgan.train.Sweep;
import wgan.train.SweepTable;

/**
 * {@code wgan sweep} on Apache Spark: each run of the sweep is one Spark task, which trains it in a
 * JVM of its own ({@link RunTask}), so that Spark retries a task whose run died and the retry
 * resumes the run from its last checkpoint. An embedded {@code local[*]} Spark by default; {@code
 * --master URL}, or spark-submit's, for a cluster, whose workers must all reach the sweep's folder
 * at the same path. The table is written by the driver once the tasks are done.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train the runs of a sweep file (as wgan sweep does) as tasks on Apache Spark, each in a JVM of its own "
                + "with --threads set to the task's cores, then write sweep.csv and sweep.html.%n"})
public final class SparkSweep implements Callable<Integer> {
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[([^],]+)(?:,\\d+)?])?");

    @Parameters(paramLabel = "FILE", description = "The sweep file.")
    Path file;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder under which the sweep gets its folder, on a file system every worker reaches at this path (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("out");

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master: local[N] runs N tasks at once in this JVM's Spark; spark://HOST:PORT, yarn, k8s://... a cluster "
                    + "(default: spark-submit's, else local[*]).")
    String master;

    @Option(names = "--task-cpus", paramLabel = "K", description = "Cores per run: its --threads (default: ${DEFAULT-VALUE}).")
    int taskCpus = 1;

    @Option(names = "--max-failures", paramLabel = "F",
            description = "Attempts per run before the sweep gives up; each resumes from the run's last checkpoint (default: ${DEFAULT-VALUE}).")
    int maxFailures = 4;

    @Option(names = "--offline", description = "Never download a dataset.")
    boolean offline;

    public static void main(String[] args) {
        // spark-submit passes the command as its first argument as wgan.jar's own line does; both forms are taken.
        String[] rest = args.length > 0 && args[0].equals("sweep") ? java.util.Arrays.copyOfRange(args, 1, args.length) : args;
        CommandLine cl = new CommandLine(new SparkSweep());
        // A missing or damaged sweep file is bad input, worded as wgan words it, not a stack trace.
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (!(ex instanceof java.io.IOException io)) throw ex;
            cmd.getErr().println("wgan: " + wgan.io.FileErrors.describe(io));
            return 2;
        });
        System.exit(cl.execute(rest));
    }

    @Override
    public Integer call() throws Exception {
        if (taskCpus < 1 || maxFailures < 1) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--task-cpus and --max-failures must be 1 or more");
        }
        Sweep sweep = Sweep.read(file);
        Path folder = sweep.prepare(out).toAbsolutePath();
        List<String> names = sweep.runs().stream().map(Sweep.Run::name).toList();
        SparkConf conf = new SparkConf().setAppName("wgan sweep " + file.getFileName());
        String chosen = master != null ? master : conf.get("spark.master", "local[*]");
        conf.setMaster(withRetries(chosen, maxFailures))
                .set("spark.task.maxFailures", Integer.toString(maxFailures))
                .set("spark.task.cpus", Integer.toString(taskCpus))
                .setIfMissing("spark.ui.enabled", "false");
        System.out.printf("Sweep of %d runs on Spark %s, %d core(s) each; each run's output in %s/logs/%n",
                names.size(), conf.get("spark.master"), taskCpus, folder);
        RunTask task = new RunTask(file.toAbsolutePath().toString(), out.toAbsolutePath().toString(), folder.toString(), offline);
        int result = 0;
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            spark.setLogLevel("WARN");
            List<Integer> codes = spark.parallelize(names, names.size()).map(task::run).collect();
            for (int i = 0; i < names.size(); i++) {
                System.out.printf("%s: exit code %d%n", names.get(i), codes.get(i));
                if (result == 0) result = codes.get(i);
            }
        } catch (Exception e) {
            // Scala code throws SparkException without declaring it.
            if (!(e instanceof SparkException)) throw e;
            System.err.println("wgan: the sweep stopped: " + e.getMessage());
            result = 1;
        }
        SweepTable.write(sweep, folder);
        System.out.println("Wrote " + folder.resolve(SweepTable.CSV) + " and " + SweepTable.HTML);
        return result;
    }

    /**
     * The master with {@code maxFailures} attempts per task: a local master takes them in its URL
     * ({@code local[N,F]}; spark.task.maxFailures does not apply to it), a cluster from the setting.
     */
    static String withRetries(String master, int maxFailures) {
        Matcher m = LOCAL.matcher(master);
        if (!m.matches()) return master;
        return "local[" + (m.group(1) == null ? "1" : m.group(1)) + "," + maxFailures + "]";
    }
}
