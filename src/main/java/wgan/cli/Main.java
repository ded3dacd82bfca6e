package wgan.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import wgan.kernels.Simd;

/** The {@code wgan} command line. */
@Command(name = "wgan", mixinStandardHelpOptions = true, version = "wgan 0.1.0",
        description = "Train Wasserstein GANs on the CPU, in pure Java.",
        subcommands = {DownloadCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        System.out.println(Simd.describe());
    }
}
