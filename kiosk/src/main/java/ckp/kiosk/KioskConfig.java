package ckp.kiosk;

import ckp.kiosk.config.ConfigException;
import ckp.kiosk.config.ConfigKey;
import ckp.kiosk.config.KioskIdentity;
import ckp.kiosk.config.Settings;
import ckp.kiosk.lane.DecisionConfig;
import ckp.kiosk.lane.LaneConfig;
import ckp.kiosk.pass.PassConfig;
import ckp.kiosk.publish.MqttConfig;
import ckp.kiosk.scan.CameraConfig;
import ckp.kiosk.scan.ScanConfig;
import ckp.kiosk.screening.ScreeningConfig;
import ckp.kiosk.site.SiteConfig;
import ckp.kiosk.store.StoreConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The whole, validated configuration of one kiosk: one section per pipeline stage. */
public record KioskConfig(KioskIdentity kiosk, MqttConfig mqtt, StoreConfig store, CameraConfig camera, ScanConfig scan,
                          ScreeningConfig screening, PassConfig pass, LaneConfig lane,
                          DecisionConfig decision, SiteConfig site) {

    /**
     * Every key the kiosk reads, in the order docs/configuration.md lists them. A key is declared once, with its type
     * and range, in its stage's {@code KEYS} (how: {@link ConfigKey}).
     */
    public static List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> all = new ArrayList<>();
        all.addAll(KioskIdentity.KEYS);
        all.addAll(MqttConfig.KEYS);
        all.addAll(StoreConfig.KEYS);
        all.addAll(CameraConfig.KEYS);
        all.addAll(ScanConfig.KEYS);
        all.addAll(ScreeningConfig.KEYS);
        all.addAll(PassConfig.KEYS);
        all.addAll(SiteConfig.KEYS);
        all.addAll(LaneConfig.KEYS);
        all.addAll(DecisionConfig.KEYS);
        return all;
    }

    public static KioskConfig load(Path file) throws ConfigException {
        return from(Settings.load(file, keys()));
    }

    public static KioskConfig from(Settings s) throws ConfigException {
        return new KioskConfig(KioskIdentity.from(s), MqttConfig.from(s), StoreConfig.from(s), CameraConfig.from(s),
                ScanConfig.from(s), ScreeningConfig.from(s), PassConfig.from(s), LaneConfig.from(s),
                DecisionConfig.from(s), SiteConfig.from(s));
    }
}
