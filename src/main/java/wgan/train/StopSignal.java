package wgan.train;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns Ctrl-C and SIGTERM into a clean stop: the JVM's shutdown hook asks the training loop to
 * stop, then waits (bounded) until the loop has written its checkpoint, so no work is lost.
 */
final class StopSignal implements AutoCloseable {
    private static final long WAIT_SECONDS = 120;

    private volatile boolean requested;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onShutdown, "wgan-stop");

    StopSignal() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    boolean requested() {
        return requested;
    }

    private void onShutdown() {
        requested = true;
        try {
            finished.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The loop is done (checkpoint written, or nothing to save): let the JVM exit. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is already running and now returns, since finished is counted down
        }
    }
}
