package wgan.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Node;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PNG frames become a looping GIF that ImageIO reads back frame by frame. */
class AnimatedGifTest {
    @TempDir
    Path tmp;

    private List<Path> frames(int... colours) throws IOException {
        List<Path> pngs = new ArrayList<>();
        for (int i = 0; i < colours.length; i++) {
            BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 30; y++) for (int x = 0; x < 40; x++) image.setRGB(x, y, x < 20 ? colours[i] : 0xFFFFFF);
            Path png = tmp.resolve("frame_" + i + ".png");
            ImageIO.write(image, "png", png.toFile());
            pngs.add(png);
        }
        return pngs;
    }

    private static IIOMetadataNode child(Node parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeName().equals(name)) return (IIOMetadataNode) n;
        }
        return null;
    }

    @Test
    void theFramesComeBackInOrderWithTheirDelayAndTheFirstLoopsForever() throws IOException {
        int[] colours = {0xFF0000, 0x00FF00, 0x0000FF};
        Path gif = tmp.resolve("out/anim.gif");
        AnimatedGif.write(gif, frames(colours), 250);
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            reader.setInput(in);
            assertEquals(colours.length, reader.getNumImages(true));
            for (int i = 0; i < colours.length; i++) {
                BufferedImage frame = reader.read(i);
                assertEquals(40, frame.getWidth());
                assertEquals(colours[i], frame.getRGB(5, 5) & 0xFFFFFF, "frame " + i);
                assertEquals(0xFFFFFF, frame.getRGB(30, 5) & 0xFFFFFF, "frame " + i);
                Node tree = reader.getImageMetadata(i).getAsTree("javax_imageio_gif_image_1.0");
                assertEquals("25", child(tree, "GraphicControlExtension").getAttribute("delayTime"));
                IIOMetadataNode apps = child(tree, "ApplicationExtensions");
                if (i == 0) {
                    IIOMetadataNode loop = child(apps, "ApplicationExtension");
                    assertEquals("NETSCAPE", loop.getAttribute("applicationID"));
                    assertArrayEquals(new byte[] {1, 0, 0}, (byte[]) loop.getUserObject(), "loop count 0: forever");
                } else {
                    assertTrue(apps == null, "only the first frame says how to loop");
                }
            }
        } finally {
            reader.dispose();
        }
        try (var files = Files.list(gif.getParent())) {
            assertEquals(List.of("anim.gif"), files.map(p -> p.getFileName().toString()).toList(), "no temporary file is left");
        }
    }

    @Test
    void aFrameThatIsNotAnImageIsNamedAndNothingIsWritten() throws IOException {
        List<Path> pngs = frames(0x123456);
        Path broken = tmp.resolve("broken.png");
        Files.writeString(broken, "not a png");
        pngs.add(broken);
        Path gif = tmp.resolve("anim.gif");
        FileFormatException e = assertThrows(FileFormatException.class, () -> AnimatedGif.write(gif, pngs, 100));
        assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
        assertTrue(Files.notExists(gif));
    }
}
