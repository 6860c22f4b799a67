package ckp.kiosk.publish;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ckp.kiosk.fixtures.MessageSchema;
import ckp.kiosk.fixtures.TestCa;
import ckp.kiosk.store.EventStore;
import ckp.kiosk.store.Outbox;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 12, item 6: the TLS files' certificates are checked at load, alarmed 30 days before they end and once ended. */
class CertificateExpiryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static MqttConfig tls(Path ca, Path cert, Path key) {
        return new MqttConfig(List.of(URI.create("ssl://127.0.0.1:8883")), Optional.empty(), Optional.empty(),
                Optional.of(ca), Optional.ofNullable(cert), Optional.ofNullable(key), "ckp/v1", Duration.ofSeconds(5),
                10, Duration.ofSeconds(5), 50, Duration.ofSeconds(60));
    }

    private static List<JsonNode> alarms(Path storeFile) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + storeFile);
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT topic, payload FROM outbox WHERE class = 'alarm' ORDER BY position")) {
            while (rs.next()) {
                byte[] payload = rs.getBytes(2);
                MessageSchema.forTopic(rs.getString(1)).assertValid(payload);
                out.add(JSON.readTree(payload));
            }
        }
        return out;
    }

    @Test
    void aCaEndingInTwoDaysAndAnExpiredClientCertificateAreFoundAFarOneIsNot() throws Exception {
        TestCa soon = TestCa.create(dir.resolve("soon"), "soon-ca"); // openssl -days 2
        Path[] expired = soon.issueDated("k1", null, "20200101000000Z", "20200201000000Z");
        TestCa far = TestCa.createDated(dir.resolve("far"), "far-ca", "20200101000000Z", "20991231000000Z");
        Instant now = Instant.now();

        List<CertificateExpiry.Finding> found = CertificateExpiry.check(tls(soon.cert, expired[0], expired[1]), now);

        assertEquals(2, found.size(), found.toString());
        CertificateExpiry.Finding ca = found.get(0);
        assertEquals("mqtt.tls.ca", ca.key());
        assertEquals("CN=soon-ca", ca.subject());
        assertTrue(!ca.expired() && ca.notAfter().isBefore(now.plus(Duration.ofDays(3))), ca.toString());
        CertificateExpiry.Finding client = found.get(1);
        assertEquals("mqtt.tls.cert", client.key());
        assertTrue(client.expired());
        assertEquals(Instant.parse("2020-02-01T00:00:00Z"), client.notAfter());
        assertEquals(List.of(), CertificateExpiry.check(tls(far.cert, null, null), now));
    }

    @Test
    void eachFindingIsAlarmedOnceAndClearedWhenTheFileIsReplaced() throws Exception {
        TestCa soon = TestCa.create(dir.resolve("soon"), "soon-ca");
        TestCa far = TestCa.createDated(dir.resolve("far"), "far-ca", "20200101000000Z", "20991231000000Z");
        Path[] expired = soon.issueDated("k1", null, "20200101000000Z", "20200201000000Z");
        Path caFile = Files.copy(soon.cert, dir.resolve("ca.pem"));
        Path storeFile = dir.resolve("events.db");
        try (EventStore store = EventStore.open(storeFile)) {
            CertificateExpiry expiry = new CertificateExpiry(tls(caFile, expired[0], expired[1]),
                    new Outbox(store, Fixtures.TOPICS, Fixtures.CLOCK, "boot-1"), Fixtures.CLOCK);
            expiry.checkNow();
            expiry.checkNow();
            List<JsonNode> raised = alarms(storeFile);
            assertEquals(2, raised.size(), "one alarm per certificate, not one per check: " + raised);
            assertEquals("tls-certificate-expiring", raised.get(0).path("alarm").asText());
            assertEquals("warning", raised.get(0).path("severity").asText());
            assertEquals("mqtt.tls.ca", raised.get(0).path("detail").path("key").asText());
            assertEquals("tls-certificate-expired", raised.get(1).path("alarm").asText());
            assertEquals("critical", raised.get(1).path("severity").asText());
            assertEquals("2020-02-01T00:00:00Z", raised.get(1).path("detail").path("notAfter").asText());

            Files.copy(far.cert, caFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            expiry.checkNow();
            List<JsonNode> after = alarms(storeFile);
            assertEquals(3, after.size(), after.toString());
            assertEquals("tls-certificate-expiring", after.get(2).path("alarm").asText());
            assertEquals("cleared", after.get(2).path("state").asText(), "the renewed CA clears its alarm");
        }
    }
}
