package ckp.kiosk.config;

/**
 * A configuration the kiosk cannot start with. The message names the key, the value found and what is allowed; the
 * service exits with status 78 (EX_CONFIG) so that systemd does not restart it in a loop.
 */
public final class ConfigException extends Exception {
    /** sysexits.h EX_CONFIG: the unit file's RestartPreventExitStatus names it. */
    public static final int EXIT_STATUS = 78;

    private final String key;

    public ConfigException(String key, String message) {
        super(key + ": " + message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}
