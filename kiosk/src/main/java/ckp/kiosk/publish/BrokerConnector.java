package ckp.kiosk.publish;

import ckp.kiosk.clock.ClockStatus;
import ckp.kiosk.message.Topics;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * Opens one connection of the session: tries the URIs of {@code mqtt.uris} in order, with a retained offline status as
 * the will, announces the kiosk online (retained, with the connection's bdSeq) and subscribes to every route again.
 * It also says offline by hand on a clean stop, which sends no will.
 */
final class BrokerConnector {
    private static final TaggedLogger LOG = Logger.tag("publish");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BrokerLink link;
    private final List<URI> uris;
    private final Topics topics;
    private final String version;
    private final ClockStatus clock;
    private final InboundRoutes routes;

    BrokerConnector(BrokerLink link, List<URI> uris, Topics topics, String version, ClockStatus clock,
                    InboundRoutes routes) {
        this.link = link;
        this.uris = List.copyOf(uris);
        this.topics = topics;
        this.version = version;
        this.clock = clock;
        this.routes = routes;
    }

    /**
     * Connects to the first URI that answers; {@code onStatusAck} gets the PUBACK of the online status.
     *
     * @return the broker's receive maximum
     * @throws BrokerException the last URI's failure, when none answered (each was logged)
     */
    int connect(long bdSeq, BrokerLink.Listener listener, Consumer<Integer> onStatusAck) throws BrokerException {
        BrokerException last = null;
        for (URI uri : uris) {
            try {
                int receiveMaximum = link.connect(uri, topics.status(), statusOffline(bdSeq), listener);
                byte[] online = JSON.createObjectNode().put("state", "online").put("bdSeq", bdSeq)
                        .put("version", version).put("since", clock.now().toString()).toString()
                        .getBytes(StandardCharsets.UTF_8);
                link.publish(OutgoingMessage.qos1(topics.status(), online, true), onStatusAck);
                resubscribe();
                LOG.info("connected to {} (bdSeq {}, broker receive maximum {})", uri, bdSeq, receiveMaximum);
                return receiveMaximum;
            } catch (BrokerException e) {
                last = e;
                LOG.warn("{}", e.getMessage());
                link.close();
            }
        }
        throw last;
    }

    /** Subscribes to every route's filter; a refused one is logged (its ACL needs fixing) and the rest work. */
    void resubscribe() throws BrokerException {
        List<String> filters = routes.filters();
        if (filters.isEmpty()) {
            return;
        }
        List<Integer> codes = link.subscribe(filters);
        for (int i = 0; i < filters.size(); i++) {
            if (codes.get(i) >= 0x80) {
                LOG.error("broker refused the subscription to {} with reason code 0x{}; check its ACL", filters.get(i),
                        Integer.toHexString(codes.get(i)));
            }
        }
    }

    /** A clean stop sends no will, so the retained status is set to offline by hand before disconnecting. */
    void sayOffline(long bdSeq) {
        try {
            link.publish(OutgoingMessage.qos1(topics.status(), statusOffline(bdSeq), true), code -> { });
        } catch (BrokerException e) {
            LOG.debug("offline status not sent: {}", e.getMessage());
        }
    }

    private static byte[] statusOffline(long bdSeq) {
        return JSON.createObjectNode().put("state", "offline").put("bdSeq", bdSeq).toString()
                .getBytes(StandardCharsets.UTF_8);
    }
}
