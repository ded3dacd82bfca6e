package wgan.train;

/**
 * A setting's value is not allowed, alone or with the others. The message names the setting, the
 * value and what is allowed ("n-critic must be 1-1000, got -3"); {@link #asFlag()} words it for the
 * command line, and config files prefix their own name.
 */
public final class InvalidSettingException extends IllegalArgumentException {
    private final transient Setting<?> setting;

    public InvalidSettingException(Setting<?> setting, String problem) {
        super(setting.name() + " " + problem);
        this.setting = setting;
    }

    public Setting<?> setting() {
        return setting;
    }

    /** The message as the command line words it: "--n-critic must be 1-1000, got -3". */
    public String asFlag() {
        return "--" + getMessage();
    }
}
