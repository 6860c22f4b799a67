package ckp.kiosk.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ckp.kiosk.fixtures.MosquittoBroker;
import ckp.kiosk.pass.DenyList;
import ckp.kiosk.pass.DenyListFeed;
import ckp.kiosk.site.SiteAuthority;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttMessageListener;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo publishes its site deny list as the central side would: retained, signed with the demo site key. */
class DemoSiteDenyListTest {
    @TempDir
    Path dir;

    @Test
    void theDemoListOnTheBrokerIsAcceptedByAKioskTrustingTheShippedDemoSiteKey() throws Exception {
        Simulation.unpackDemo(dir);
        try (MosquittoBroker broker = MosquittoBroker.start(dir.resolve("broker"), List.of())) {
            Simulation.publishSignedDenyList(dir, broker.uri(), "ckp/v1/demo-site/denylist");
            BlockingQueue<byte[]> retained = new LinkedBlockingQueue<>();
            MqttClient kiosk = new MqttClient(broker.uri(), "demo-kiosk-check", new MemoryPersistence());
            kiosk.connect(new MqttConnectionOptions());
            kiosk.subscribe(new MqttSubscription[] {new MqttSubscription("ckp/v1/demo-site/denylist", 1)},
                    new IMqttMessageListener[] {(t, m) -> retained.add(m.getPayload())});
            byte[] jws = retained.poll(20, TimeUnit.SECONDS);
            kiosk.disconnect();
            kiosk.close();
            assertNotNull(jws, "the list is retained on the site topic");
            DenyListFeed feed = DenyListFeed.open(dir.resolve("cache.json"),
                    SiteAuthority.load(dir.resolve("site-trust")), l -> { }, u -> { });
            DenyListFeed.Update u = feed.accept(jws);
            assertEquals(DenyListFeed.Result.APPLIED, u.result(), u.detail());
            assertEquals(new DenyList(1, Set.of("DEMO-R-0666")), feed.current());
        }
    }
}
