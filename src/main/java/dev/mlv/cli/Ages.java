package dev.mlv.cli;

/** How long ago, for listings: {@code now}, {@code 5m ago}, {@code 3h ago}, {@code 2d ago}, {@code 3w ago}, {@code 4mo ago}, {@code 2y ago}. */
final class Ages {
    private Ages() {
    }

    static String ago(long seconds) {
        if (seconds < 0) {
            return "in future";
        }
        if (seconds < 60) {
            return "now";
        }
        long minutes = seconds / 60;
        if (minutes < 60) {
            return minutes + "m ago";
        }
        long hours = minutes / 60;
        if (hours < 24) {
            return hours + "h ago";
        }
        long days = hours / 24;
        if (days < 14) {
            return days + "d ago";
        }
        if (days < 60) {
            return days / 7 + "w ago";
        }
        if (days < 730) {
            return days / 30 + "mo ago";
        }
        return days / 365 + "y ago";
    }
}
