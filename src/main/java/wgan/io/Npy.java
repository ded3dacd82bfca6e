package wgan.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import wgan.tensor.Tensor;

/**
 * float32 arrays in NumPy's {@code .npy} format, so latent vectors and samples pass to and from
 * Python ({@code np.load}, {@code np.save}). Written as format 1.0, little-endian {@code '<f4'},
 * C order; reading also accepts versions 2.0 and 3.0, which differ only in the header length field.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** NumPy rejects headers longer than this by default; so do we, so a corrupt length cannot allocate much. */
    private static final int MAX_HEADER_BYTES = 10_000;

    // The header is a Python dict literal, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    public static void write(Path file, Tensor tensor) throws IOException {
        StringBuilder shape = new StringBuilder("(");
        for (int d : tensor.shape()) shape.append(d).append(", ");
        if (tensor.rank() > 0) shape.setLength(shape.length() - (tensor.rank() == 1 ? 1 : 2));
        shape.append(')');
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        // NumPy pads the header with spaces and a final newline so the data starts 64-byte aligned.
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + 4 * tensor.size()).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        buf.put(header.getBytes(StandardCharsets.US_ASCII));
        buf.asFloatBuffer().put(tensor.data());
        AtomicFiles.write(file, buf.array());
    }

    public static Tensor read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            byte[] prefix = in.readNBytes(MAGIC.length + 2);
            if (prefix.length < MAGIC.length + 2 || !Arrays.equals(prefix, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
                throw new FileFormatException(file, "not a .npy file (it does not start with \\x93NUMPY)");
            }
            int major = prefix[MAGIC.length];
            byte[] lengthBytes = in.readNBytes(major == 1 ? 2 : 4);
            if (major < 1 || major > 3) throw new FileFormatException(file, ".npy format version " + major + " is not supported (1, 2 and 3 are)");
            if (lengthBytes.length < (major == 1 ? 2 : 4)) throw new FileFormatException(file, "truncated in the .npy header");
            ByteBuffer lb = ByteBuffer.wrap(Arrays.copyOf(lengthBytes, 4)).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = Integer.toUnsignedLong(lb.getInt());
            if (headerLength > MAX_HEADER_BYTES) throw new FileFormatException(file, ".npy header length " + headerLength + " is implausibly large");
            byte[] headerBytes = in.readNBytes((int) headerLength);
            if (headerBytes.length < headerLength) throw new FileFormatException(file, "truncated in the .npy header");
            String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

            String descr = group(file, DESCR, header, "descr");
            if (!descr.equals("<f4")) {
                throw new FileFormatException(file, "dtype '" + descr + "' is not supported; only little-endian float32 ('<f4') is"
                        + " (in NumPy: np.save(path, a.astype('<f4')))");
            }
            if (group(file, FORTRAN, header, "fortran_order").equals("True")) {
                throw new FileFormatException(file, "Fortran-ordered arrays are not supported (in NumPy: np.save(path, np.ascontiguousarray(a)))");
            }
            int[] shape = parseShape(file, group(file, SHAPE, header, "shape"));
            long count = 1;
            for (int d : shape) count = Math.min(count * d, Integer.MAX_VALUE);
            if (count > Integer.MAX_VALUE - 8) throw new FileFormatException(file, "shape " + Arrays.toString(shape) + " is too large");
            byte[] data = in.readNBytes((int) count * 4);
            if (data.length < count * 4) {
                throw new FileFormatException(file, "truncated: shape " + Arrays.toString(shape) + " needs " + count * 4
                        + " bytes of data but the file holds " + data.length);
            }
            if (in.read() >= 0) throw new FileFormatException(file, "has data after the " + count + " values of shape " + Arrays.toString(shape));
            float[] values = new float[(int) count];
            ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return Tensor.of(values, shape);
        }
    }

    private static String group(Path file, Pattern p, String header, String key) throws FileFormatException {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new FileFormatException(file, ".npy header has no valid '" + key + "': " + header.strip());
        return m.group(1);
    }

    private static int[] parseShape(Path file, String tuple) throws FileFormatException {
        if (tuple.isBlank()) return new int[0];
        // "(5,)" splits to ["5"]: split drops the empty string after a trailing comma.
        String[] parts = tuple.split(",");
        int[] shape = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                shape[i] = Integer.parseInt(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new FileFormatException(file, ".npy shape (" + tuple + ") is not a tuple of integers");
            }
            if (shape[i] < 0) throw new FileFormatException(file, ".npy shape (" + tuple + ") has a negative dimension");
        }
        return shape;
    }
}
