package wgan.train;

/**
 * What the critic's normalisation layers are: the spec's batch norm, layer norm in their place
 * (WGAN-GP's advice: batch norm couples the samples of a batch, so a per-sample gradient penalty
 * no longer constrains each sample's gradient; Gulrajani et al. 2017, section 4), or none.
 */
public enum CriticNorm {
    BATCH, LAYER, NONE;

    /** "batch", "layer", "none". */
    public String id() {
        return Ids.id(this);
    }

}
