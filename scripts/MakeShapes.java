import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Writes a folder of small colour images for trying the E4 presets without a dataset: each is a
 * filled circle, square or triangle of a random colour, size and place on a plain background of
 * another colour, at a random size between 72 and 127 pixels a side (E4 crops and resizes to 64x64).
 *
 * <pre>java scripts/MakeShapes.java DIR [COUNT] [SEED]</pre>
 */
public class MakeShapes {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: java scripts/MakeShapes.java DIR [COUNT (default 2000)] [SEED (default 1)]");
            System.exit(2);
        }
        File dir = new File(args[0]);
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        Random random = new Random(args.length > 2 ? Long.parseLong(args[2]) : 1);
        if (!dir.isDirectory() && !dir.mkdirs()) throw new IllegalStateException("cannot create " + dir);
        for (int i = 0; i < count; i++) {
            int side = 72 + random.nextInt(56);
            BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            float hue = random.nextFloat();
            g.setColor(Color.getHSBColor(hue, 0.3f + 0.3f * random.nextFloat(), 0.2f + 0.3f * random.nextFloat()));
            g.fillRect(0, 0, side, side);
            // The shape's hue is at least a third of the circle away from the background's.
            g.setColor(Color.getHSBColor(hue + 0.33f + 0.33f * random.nextFloat(), 0.6f + 0.4f * random.nextFloat(),
                    0.7f + 0.3f * random.nextFloat()));
            int size = side / 3 + random.nextInt(side / 3);
            int x = random.nextInt(side - size), y = random.nextInt(side - size);
            switch (random.nextInt(3)) {
                case 0 -> g.fillOval(x, y, size, size);
                case 1 -> g.fillRect(x, y, size, size);
                default -> g.fillPolygon(new int[] {x, x + size, x + size / 2}, new int[] {y + size, y + size, y}, 3);
            }
            g.dispose();
            ImageIO.write(image, "png", new File(dir, String.format("shape_%05d.png", i)));
        }
        System.out.println("Wrote " + count + " images to " + dir);
    }
}
