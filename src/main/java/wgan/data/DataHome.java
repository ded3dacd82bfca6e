package wgan.data;

import java.nio.file.Path;

/**
 * Where wgan keeps the datasets it downloads, and whether it may download at all.
 *
 * <p>Downloads go to a per-user cache, so that one copy serves every working folder:
 * {@code $XDG_CACHE_HOME/wgan/datasets/<name>}, or {@code ~/.cache/wgan/datasets/<name>} where
 * that variable is unset (the XDG base-directory default).
 *
 * @param cacheRoot the folder holding one folder per dataset
 * @param offline   whether a missing dataset is an error rather than a download
 * @param download  what fetches a missing dataset
 */
public record DataHome(Path cacheRoot, boolean offline, Download download) {

    private static volatile boolean offlineByDefault;

    /** {@code --offline}: from now on this process never downloads, as a machine without network would not. */
    public static void goOffline() {
        offlineByDefault = true;
    }

    /** The user's cache, online unless {@link #goOffline} was called; downloads print to stderr. */
    public static DataHome standard() {
        return new DataHome(userCacheRoot(), offlineByDefault, new Download(line -> System.err.println("wgan: " + line)));
    }

    /** {@code $XDG_CACHE_HOME/wgan/datasets}, or {@code ~/.cache/wgan/datasets}. */
    public static Path userCacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        // The XDG spec says a relative value is invalid and must be ignored.
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("wgan").resolve("datasets");
    }

    /** The folder of one dataset in the cache. */
    public Path cacheDir(DatasetFiles dataset) {
        return cacheRoot.resolve(dataset.name());
    }
}
