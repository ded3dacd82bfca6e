package wgan.nn;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import wgan.autodiff.Ops;
import wgan.autodiff.Var;
import wgan.tensor.Tensor;

/**
 * Batch normalisation (Ioffe and Szegedy 2015, Algorithm 1) per channel, the last axis, over all
 * other axes (N, H, W), with Keras's defaults momentum 0.99 and eps 1e-3.
 *
 * <p>Training: y = gamma * (x - mean_B) / sqrt(var_B + eps) + beta with the batch's biased
 * variance, one fused op ({@link Ops#batchNorm}) whose gradients the gradient penalty can
 * differentiate again; then
 * running = momentum * running + (1 - momentum) * batch statistic. The running variance takes
 * the unbiased batch variance (times m/(m-1), m = N*H*W), as PyTorch's BatchNorm does (Keras
 * uses the biased one; at the reference sizes, m >= 64*7*7, they differ by under 0.04%).
 * Inference: the running statistics in place of the batch's.
 *
 * <p>PyTorch equivalent: BatchNorm2d (BatchNorm1d for vectors) with eps 1e-3 and momentum
 * 1 - 0.99 = 0.01 (PyTorch's momentum weights the new statistic). State: weight (gamma),
 * bias (beta), running_mean, running_var, num_batches_tracked (see {@link Sequential#stateDict()}).
 */
public final class BatchNormalization extends AffineNormalization {
    public static final float KERAS_MOMENTUM = 0.99f;
    public static final float KERAS_EPSILON = 1e-3f;

    private final int channels;
    private final float momentum;
    private final float eps;
    private final float[] runningMean;
    private final float[] runningVar;
    private long batchesTracked;

    public BatchNormalization(int[] in, float momentum, float eps) {
        super(in, in[in.length - 1]);
        this.channels = in[in.length - 1];
        this.momentum = momentum;
        this.eps = eps;
        this.runningMean = new float[channels];
        this.runningVar = Layouts.filled(1f, channels).data();
    }

    @Override
    public Var forward(Var x, boolean training) {
        return training ? normaliseWithBatchStatistics(x) : normaliseWithRunningStatistics(x);
    }

    private Var normaliseWithBatchStatistics(Var x) {
        Ops.BatchNorm bn = Ops.batchNorm(x, gamma, beta, eps);
        updateRunningStatistics(bn.mean().data(), bn.variance().data(), x.value().size() / channels);
        return bn.y();
    }

    private void updateRunningStatistics(float[] mean, float[] biasedVar, int rows) {
        float bessel = rows > 1 ? rows / (rows - 1f) : 1f;
        for (int c = 0; c < channels; c++) {
            runningMean[c] = momentum * runningMean[c] + (1 - momentum) * mean[c];
            runningVar[c] = momentum * runningVar[c] + (1 - momentum) * biasedVar[c] * bessel;
        }
        batchesTracked++;
    }

    /** One pass y = x * scale + shift ({@link #runningAffine}). */
    private Var normaliseWithRunningStatistics(Var x) {
        Var[] affine = runningAffine();
        return Ops.scaleShiftChannels(x, affine[0], affine[1]);
    }

    /** Inference as a map per channel: {scale, shift} with scale = gamma inv and shift = beta - running mean * scale. */
    Var[] runningAffine() {
        float[] mean = runningMean.clone();
        float[] inv = new float[channels];
        for (int c = 0; c < channels; c++) inv[c] = (float) (1 / Math.sqrt(runningVar[c] + eps));
        Var scale = Ops.mul(gamma, Var.constant(Tensor.of(inv, channels)));
        Var shift = Ops.sub(beta, Ops.mul(scale, Var.constant(Tensor.of(mean, channels))));
        return new Var[] {scale, shift};
    }

    @Override
    public Map<String, Tensor> stateDict() {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("weight", gamma.value().copy());
        sd.put("bias", beta.value().copy());
        sd.put("running_mean", Tensor.of(runningMean.clone(), channels));
        sd.put("running_var", Tensor.of(runningVar.clone(), channels));
        sd.put(StateDicts.NUM_BATCHES_TRACKED, Tensor.scalar(batchesTracked));
        return sd;
    }

    @Override
    public void loadState(String name, Tensor value) {
        switch (name) {
            case "weight" -> Layouts.copy(value.data(), gamma);
            case "bias" -> Layouts.copy(value.data(), beta);
            case "running_mean" -> System.arraycopy(value.data(), 0, runningMean, 0, channels);
            case "running_var" -> System.arraycopy(value.data(), 0, runningVar, 0, channels);
            case StateDicts.NUM_BATCHES_TRACKED -> batchesTracked = (long) value.item();
            default -> super.loadState(name, value);
        }
    }

    @Override
    public List<String> torchModules() {
        return List.of("nn.BatchNorm" + (shape.length == 3 ? "2d" : "1d") + "(" + channels + ", eps=" + eps
                + ", momentum=" + BigDecimal.ONE.subtract(new BigDecimal(Float.toString(momentum))) + ")");
    }
}
