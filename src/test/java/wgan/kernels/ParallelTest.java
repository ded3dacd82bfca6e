package wgan.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The loop runner: every index exactly once, whoever runs it; failures reach the caller; nesting and concurrent callers. */
class ParallelTest {
    private int saved;

    @BeforeEach
    void save() {
        saved = Parallel.threads();
    }

    @AfterEach
    void restore() {
        Parallel.setThreads(saved);
    }

    record Case(long seed, int threads, int n, int loops) {
        static Case of(long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            return new Case(seed, 1 + r.nextInt(5), r.nextInt(300), 1 + r.nextInt(20));
        }
    }

    static Stream<Case> cases() {
        return LongStream.range(0, 40).mapToObj(Case::of);
    }

    /** Many loops back to back, as the kernels run them: workers spin between them, or park when the gap is long. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void runsEveryIndexOnce(Case c) throws InterruptedException {
        Parallel.setThreads(c.threads);
        SplittableRandom r = new SplittableRandom(c.seed);
        for (int loop = 0; loop < c.loops; loop++) {
            AtomicIntegerArray runs = new AtomicIntegerArray(c.n);
            int[] plain = new int[c.n];
            Parallel.forEach(c.n, i -> {
                runs.incrementAndGet(i);
                plain[i] = i + 1;
            });
            for (int i = 0; i < c.n; i++) {
                assertEquals(1, runs.get(i), c + " loop " + loop + " index " + i);
                // A plain write in the body is visible to the caller once forEach returns.
                assertEquals(i + 1, plain[i], c + " loop " + loop + " index " + i);
            }
            // Gaps shorter than a worker's spin, and now and then one long enough for it to park.
            if (r.nextInt(4) == 0) Thread.sleep(0, r.nextInt(1_000_000));
            if (r.nextInt(10) == 0) Thread.sleep(Parallel.SPIN_NANOS / 1_000_000 + 1);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void rethrowsAFailureAndKeepsWorking(int threads) {
        Parallel.setThreads(threads);
        IllegalStateException thrown = new IllegalStateException("index 17");
        IllegalStateException caught = assertThrows(IllegalStateException.class, () -> Parallel.forEach(100, i -> {
            if (i == 17) throw thrown;
        }));
        assertSame(thrown, caught);
        assertThrows(AssertionError.class, () -> Parallel.forEach(10, i -> {
            throw new AssertionError("every index");
        }));
        AtomicIntegerArray runs = new AtomicIntegerArray(50);
        Parallel.forEach(50, runs::incrementAndGet);
        for (int i = 0; i < 50; i++) assertEquals(1, runs.get(i));
    }

    /** A loop inside a loop body runs on that body's thread, so it cannot wait on a thread that waits on it. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void runsNestedLoops(int threads) {
        Parallel.setThreads(threads);
        AtomicIntegerArray runs = new AtomicIntegerArray(20 * 30);
        Parallel.forEach(20, i -> Parallel.forEach(30, j -> runs.incrementAndGet(i * 30 + j)));
        for (int i = 0; i < runs.length(); i++) assertEquals(1, runs.get(i), "index " + i);
    }

    /** Inside a loop body a new loop gets one thread (its caller); outside, all of them. */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3})
    void offersOneThreadInsideALoop(int threads) {
        Parallel.setThreads(threads);
        assertEquals(threads, Parallel.threadsForNewLoop());
        AtomicIntegerArray inside = new AtomicIntegerArray(10);
        Parallel.forEach(10, i -> inside.set(i, Parallel.threadsForNewLoop()));
        for (int i = 0; i < inside.length(); i++) assertEquals(1, inside.get(i), "index " + i);
        assertEquals(threads, Parallel.threadsForNewLoop());
    }

    /** Loops from two threads at once: one gets the workers, the other runs alone; both complete. */
    @Test
    void runsLoopsFromConcurrentCallers() throws InterruptedException {
        Parallel.setThreads(3);
        AtomicIntegerArray runs = new AtomicIntegerArray(2 * 200_000);
        Thread[] callers = new Thread[2];
        for (int c = 0; c < 2; c++) {
            int base = c * 200_000;
            callers[c] = new Thread(() -> {
                for (int loop = 0; loop < 100; loop++) {
                    int from = base + loop * 2000;
                    Parallel.forEach(2000, i -> runs.incrementAndGet(from + i));
                }
            });
        }
        for (Thread t : callers) t.start();
        for (Thread t : callers) t.join();
        for (int i = 0; i < runs.length(); i++) assertEquals(1, runs.get(i), "index " + i);
    }
}
