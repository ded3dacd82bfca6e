package wgan.data;

import wgan.tensor.Tensor;

/**
 * The real images a training run draws its batches from, all of one shape (NHWC), in [-1, 1].
 * Small sets are held as floats; large image folders as bytes ({@link ByteImages}), converted
 * batch by batch.
 */
public interface TrainingImages {
    int count();

    /** The shape of one image: height, width, channels. */
    int[] imageShape();

    /** The images at {@code indices}, in that order, as one tensor [indices.length, h, w, c]. */
    Tensor batch(int[] indices);

    /** Images already converted, e.g. an IDX dataset: [n, h, w, c]. */
    static TrainingImages of(Tensor images) {
        int per = images.size() / Math.max(1, images.dim(0));
        return new TrainingImages() {
            @Override
            public int count() {
                return images.dim(0);
            }

            @Override
            public int[] imageShape() {
                return new int[] {images.dim(1), images.dim(2), images.dim(3)};
            }

            @Override
            public Tensor batch(int[] indices) {
                float[] out = new float[Tensor.sizeOf(indices.length, per)];
                for (int j = 0; j < indices.length; j++) {
                    System.arraycopy(images.data(), indices[j] * per, out, j * per, per);
                }
                return Tensor.of(out, indices.length, images.dim(1), images.dim(2), images.dim(3));
            }
        };
    }

    /** Images kept as bytes, converted to floats one batch at a time. */
    static TrainingImages of(ByteImages images) {
        return new TrainingImages() {
            @Override
            public int count() {
                return images.count();
            }

            @Override
            public int[] imageShape() {
                return new int[] {images.height(), images.width(), images.channels()};
            }

            @Override
            public Tensor batch(int[] indices) {
                return images.batch(indices);
            }
        };
    }
}
