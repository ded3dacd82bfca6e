package wgan.kernels;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The threads every kernel runs on. Their number is a user setting ({@code --threads}): the
 * thread that calls {@link #forEach} and {@code threads - 1} workers, all taking indices of the
 * same loop until none are left.
 *
 * <p>Why not a ForkJoinPool: an E1 iteration runs hundreds of short parallel loops, with short
 * serial stretches between them. On a pool, the caller parks while the pool works, and parked
 * threads are slow to wake (much more so in a VM, where an idle virtual CPU is halted): timed
 * per GEMM in E1, a pool's two threads were busy for as little as half of a short GEMM's wall
 * time, as if one thread ran both. Here the caller works instead of waiting, and workers spin
 * for {@link #SPIN_NANOS} after each loop before they park, so the next loop, usually a kernel
 * or two later, finds them awake, and the same GEMMs kept both threads busy most of the time
 * (docs/performance.md#threads).
 *
 * <p>Determinism rule for every kernel: work is split only over disjoint output elements, and
 * each output is reduced by one task in a fixed order, so results are bitwise identical for any
 * thread count, and whichever thread happens to take an index.
 */
public final class Parallel {
    /**
     * How long an idle worker polls for the next loop before it parks (and then needs waking).
     * Only while every thread can have a core: with more threads than cores, a spinning worker
     * would take the core of a thread that has work.
     */
    static final long SPIN_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private static volatile Team team = new Team(Runtime.getRuntime().availableProcessors());

    private Parallel() {}

    /** Sets the number of threads (at least 1), the caller included. */
    public static synchronized void setThreads(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        if (threads == team.threads) return;
        Team old = team;
        team = new Team(threads);
        old.shutdown();
    }

    public static int threads() {
        return team.threads;
    }

    /**
     * The threads a loop started now would run on: 1 from inside another loop's body (see
     * {@link #forEach}), so that a kernel called there does not cut its work for threads it
     * will not get.
     */
    public static int threadsForNewLoop() {
        Team t = team;
        return t.busy.get() ? 1 : t.threads;
    }

    /**
     * Runs {@code body.accept(i)} for i in [0, n), split across the threads; returns when all are
     * done, rethrowing the first exception or error any of them threw. A loop started while
     * another runs (from inside its body, or from a second thread) runs on its calling thread alone.
     */
    public static void forEach(int n, IntConsumer body) {
        if (n <= 0) return;
        Team t = team;
        if (n == 1 || t.threads == 1 || !t.busy.compareAndSet(false, true)) {
            for (int i = 0; i < n; i++) body.accept(i);
            return;
        }
        try {
            t.run(new Loop(n, body));
        } finally {
            t.busy.set(false);
        }
    }

    /** One parallel loop: its indices are handed out one at a time to whichever thread asks next. */
    private static final class Loop {
        final int n;
        final IntConsumer body;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        volatile Throwable failure;

        Loop(int n, IntConsumer body) {
            this.n = n;
            this.body = body;
        }

        /** Takes indices until none are left. After a failure the rest are skipped, but still counted. */
        void work() {
            for (int i; (i = next.getAndIncrement()) < n; finished.incrementAndGet()) {
                if (failure != null) continue;
                try {
                    body.accept(i);
                } catch (Throwable e) {
                    failure = e;
                }
            }
        }

        boolean done() {
            return finished.get() == n;
        }
    }

    /** The caller's helpers: {@code threads - 1} daemon workers that take part in every loop. */
    private static final class Team {
        final int threads;
        final AtomicBoolean busy = new AtomicBoolean();
        private final long spinNanos;
        private final Worker[] workers;
        private volatile Loop loop;
        private volatile boolean stopped;

        Team(int threads) {
            this.threads = threads;
            spinNanos = threads <= Runtime.getRuntime().availableProcessors() ? SPIN_NANOS : 0;
            workers = new Worker[threads - 1];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = new Worker(i + 1);
                workers[i].start();
            }
        }

        void run(Loop l) {
            loop = l;
            for (Worker w : workers) {
                if (w.parked) LockSupport.unpark(w);
            }
            l.work();
            // Only indices that another thread took are left: each is already running, unless its
            // thread has lost its core to more threads than cores, and then this one yields it.
            while (!l.done()) {
                if (spinNanos > 0) Thread.onSpinWait();
                else Thread.yield();
            }
            loop = null;
            Throwable e = l.failure;
            if (e instanceof RuntimeException r) throw r;
            if (e instanceof Error err) throw err;
            if (e != null) throw new IllegalStateException(e);
        }

        void shutdown() {
            stopped = true;
            for (Worker w : workers) LockSupport.unpark(w);
        }

        private final class Worker extends Thread {
            /** Set before the worker's last look for a loop ahead of parking, so a caller knows to unpark it. */
            volatile boolean parked;

            Worker(int index) {
                super("wgan-kernel-" + index);
                setDaemon(true);
            }

            @Override
            public void run() {
                Loop last = null;
                while (!stopped) {
                    Loop l = awaitLoop(last);
                    if (l != null) {
                        l.work();
                        last = l;
                    }
                }
            }

            /** The next loop other than {@code last}, or null when stopped. Spins first, then parks. */
            private Loop awaitLoop(Loop last) {
                long spinUntil = System.nanoTime() + spinNanos;
                while (!stopped) {
                    Loop l = loop;
                    if (l != null && l != last) return l;
                    if (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                        continue;
                    }
                    parked = true;
                    l = loop;
                    if (l == null || l == last) LockSupport.park(this);
                    parked = false;
                    spinUntil = System.nanoTime() + spinNanos;
                }
                return null;
            }
        }
    }
}
