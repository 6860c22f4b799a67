package ckp.kiosk;

/**
 * The version of this build, from the jar manifest ({@code dev} when run from classes). Its own class so that the
 * service ({@link Kiosk}: lifecycle events, the birth certificate) and the command line ({@link Main}) both read it
 * without depending on each other.
 */
public final class KioskVersion {
    private KioskVersion() {
    }

    public static String current() {
        String v = KioskVersion.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
