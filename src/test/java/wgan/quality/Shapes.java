package wgan.quality;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import wgan.tensor.Rng;
import wgan.tensor.Tensor;

/**
 * Synthetic colour images for tests, after scripts/MakeShapes.java: a filled disc or square of one
 * random colour on a plain background of another, at a random size and place.
 */
public final class Shapes {
    private Shapes() {}

    /** {@code n} images [n, size, size, 3] in [-1, 1], drawn from {@code seed}. */
    public static Tensor draw(int n, int size, long seed) {
        Rng rng = new Rng(seed);
        Tensor t = Tensor.zeros(n, size, size, 3);
        float[] v = t.data();
        for (int i = 0; i < n; i++) {
            float[] background = colour(rng), shape = colour(rng);
            int side = size / 4 + rng.nextInt(size / 2);
            int x0 = rng.nextInt(size - side), y0 = rng.nextInt(size - side);
            boolean disc = rng.nextInt(2) == 0;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double dx = x - x0 - side / 2.0 + 0.5, dy = y - y0 - side / 2.0 + 0.5;
                    boolean inside = disc ? dx * dx + dy * dy <= side * side / 4.0 : x >= x0 && x < x0 + side && y >= y0 && y < y0 + side;
                    System.arraycopy(inside ? shape : background, 0, v, ((i * size + y) * size + x) * 3, 3);
                }
            }
        }
        return t;
    }

    private static float[] colour(Rng rng) {
        return new float[] {2 * rng.nextFloat() - 1, 2 * rng.nextFloat() - 1, 2 * rng.nextFloat() - 1};
    }

    /** {@code n} such images of {@code size} as PNG files in {@code dir} (created), for runs on an image folder. */
    public static Path writeFolder(Path dir, int n, int size, long seed) throws IOException {
        Files.createDirectories(dir);
        Tensor t = draw(n, size, seed);
        float[] v = t.data();
        for (int i = 0; i < n; i++) {
            BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    int p = ((i * size + y) * size + x) * 3, rgb = 0;
                    for (int c = 0; c < 3; c++) rgb = rgb << 8 | Math.round((v[p + c] + 1) * 127.5f);
                    image.setRGB(x, y, rgb);
                }
            }
            ImageIO.write(image, "png", dir.resolve(String.format("shape_%04d.png", i)).toFile());
        }
        return dir;
    }
}
