package wgan.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import wgan.kernels.Parallel;

/** {@code --threads}, as every command that computes takes it (a picocli mixin). */
final class ThreadsOption {
    static final int MAX = 1024;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--threads", paramLabel = "N", order = 103,
            description = "Compute threads, 1-" + MAX + "; results do not depend on it (default: all ${DEFAULT-VALUE} cores).")
    int threads = Runtime.getRuntime().availableProcessors();

    /** Checks the value and sets the number of kernel threads to it. */
    void apply() {
        if (threads < 1 || threads > MAX) {
            throw new ParameterException(command.commandLine(), "--threads must be 1-" + MAX + ", got " + threads);
        }
        Parallel.setThreads(threads);
    }
}
