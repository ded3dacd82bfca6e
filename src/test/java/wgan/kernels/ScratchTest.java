package wgan.kernels;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The per-thread buffer: reused when free, never handed to two users at once, big enough. */
class ScratchTest {
    @Test
    void reusesAFreeBufferAndNeverSharesABusyOne() throws InterruptedException {
        Scratch scratch = new Scratch();
        float[] outer = scratch.take(100);
        assertTrue(outer.length >= 100);
        float[] nested = scratch.take(50);
        assertNotSame(outer, nested, "a nested take while the buffer is busy");
        scratch.give(nested);
        assertNotSame(outer, scratch.take(10), "giving back a nested buffer must not free the outer one");
        scratch.give(outer);
        assertSame(outer, scratch.take(80), "a free buffer that is big enough is reused");
        scratch.give(outer);
        float[] bigger = scratch.take(1000);
        assertTrue(bigger.length >= 1000);
        scratch.give(bigger);
        float[][] other = new float[1][];
        Thread t = new Thread(() -> other[0] = scratch.take(10));
        t.start();
        t.join();
        assertNotSame(bigger, other[0], "each thread has its own buffer");
    }

    /** A chunk that throws must not leave the lowering buffer marked busy (it would be reallocated on every later call). */
    @Test
    void aFailingChunkGivesItsBufferBack() {
        float[][] seen = new float[2][];
        Conv.forEachChunk(2, 10, 1 << 10, (n0, images, buffer) -> seen[0] = buffer);
        assertThrows(IllegalStateException.class, () -> Conv.forEachChunk(2, 10, 1 << 10, (n0, images, buffer) -> {
            throw new IllegalStateException("chunk failed");
        }));
        Conv.forEachChunk(2, 10, 1 << 10, (n0, images, buffer) -> seen[1] = buffer);
        assertSame(seen[0], seen[1]);
    }
}
