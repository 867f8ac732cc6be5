package dev.mlv.cli;

/**
 * The mlv executable that git should start as the filter: the {@code ./mlv} launcher script passes
 * its own absolute path as {@code -Dmlv.launcher}, so the command written into git's config works
 * from any directory. Without it (mlv started some other way), {@code mlv} on git's PATH.
 */
final class Launcher {
    static final String PROPERTY = "mlv.launcher";

    private Launcher() {
    }

    /** The launcher to write into git's config: {@code explicit} when given, else this mlv's own. */
    static String resolve(String explicit) {
        if (explicit != null && !explicit.isBlank()) {
            return explicit;
        }
        String self = System.getProperty(PROPERTY);
        return self == null || self.isBlank() ? "mlv" : self;
    }
}
