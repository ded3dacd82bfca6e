package wgan.io;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOInvalidTreeException;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * PNG frames joined into a GIF that loops forever, with the JDK's own GIF writer
 * ({@code javax.imageio}, which reduces each frame to a palette of 256 colours). The frames are
 * read one at a time, so a long run's many frames are never all in memory; the file is written
 * atomically.
 */
public final class AnimatedGif {
    /** The GIF metadata format's name, in which the delay and the loop are set. */
    private static final String FORMAT = "javax_imageio_gif_image_1.0";

    private AnimatedGif() {}

    /** Joins {@code pngs}, in order, each shown for {@code delayMillis} (rounded to hundredths of a second). */
    public static void write(Path gif, List<Path> pngs, int delayMillis) throws IOException {
        if (pngs.isEmpty()) throw new IllegalArgumentException("an animation needs at least one frame");
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
        if (!writers.hasNext()) throw new IOException("no GIF writer in this Java runtime");
        ImageWriter writer = writers.next();
        try {
            AtomicFiles.write(gif, out -> {
                try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
                    writer.setOutput(stream);
                    writer.prepareWriteSequence(null);
                    for (int i = 0; i < pngs.size(); i++) {
                        BufferedImage frame = read(pngs.get(i));
                        IIOMetadata metadata = frameMetadata(writer, frame, delayMillis, i == 0);
                        writer.writeToSequence(new IIOImage(frame, null, metadata), null);
                    }
                    writer.endWriteSequence();
                }
            });
        } finally {
            writer.dispose();
        }
    }

    private static BufferedImage read(Path png) throws IOException {
        BufferedImage image;
        try {
            image = ImageIO.read(png.toFile());
        } catch (javax.imageio.IIOException e) {
            throw new FileFormatException(png, "cannot be read as an image: " + e.getMessage(), e);
        }
        if (image == null) throw new FileFormatException(png, "is not an image the JDK can read");
        return image;
    }

    /** The frame's delay and, on the first, the NETSCAPE2.0 extension that makes viewers loop forever. */
    private static IIOMetadata frameMetadata(ImageWriter writer, BufferedImage frame, int delayMillis, boolean first)
            throws IIOInvalidTreeException {
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(frame), null);
        IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(FORMAT);
        IIOMetadataNode control = child(root, "GraphicControlExtension");
        control.setAttribute("disposalMethod", "none");
        control.setAttribute("userInputFlag", "FALSE");
        control.setAttribute("transparentColorFlag", "FALSE");
        control.setAttribute("delayTime", Integer.toString(Math.max(1, Math.round(delayMillis / 10f))));
        control.setAttribute("transparentColorIndex", "0");
        if (first) {
            IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
            loop.setAttribute("applicationID", "NETSCAPE");
            loop.setAttribute("authenticationCode", "2.0");
            // Sub-block 1, then the loop count 0 (forever), little-endian.
            loop.setUserObject(new byte[] {1, 0, 0});
            child(root, "ApplicationExtensions").appendChild(loop);
        }
        metadata.setFromTree(FORMAT, root);
        return metadata;
    }

    /** The root's child named {@code name}, added if missing. */
    private static IIOMetadataNode child(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equalsIgnoreCase(name)) return (IIOMetadataNode) root.item(i);
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        root.appendChild(node);
        return node;
    }
}
