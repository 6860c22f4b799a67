package ckp.kiosk.service;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * The sd_notify protocol: one datagram per state change ({@code READY=1}, {@code WATCHDOG=1}, {@code STOPPING=1},
 * {@code STATUS=...}) to the UNIX datagram socket systemd names in {@code NOTIFY_SOCKET}. The JDK only has UNIX
 * stream sockets and cannot bind abstract ({@code @}) addresses, which is what systemd normally hands out, so the
 * datagram goes through libc's {@code socket}/{@code sendto} via JNA.
 */
public final class SystemdNotify {
    private static final TaggedLogger LOG = Logger.tag("service");
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    /** sizeof(struct sockaddr_un.sun_path) on Linux. */
    private static final int SUN_PATH_BYTES = 108;

    /** The three libc calls needed, bound by JNA. */
    interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrLen)
                throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static volatile LibC libc;
    private final String socketAddress;
    private final byte[] sockaddr;

    /** For a socket address as systemd writes it: a path, or {@code @name} for the abstract namespace. */
    public SystemdNotify(String socketAddress) {
        this.socketAddress = socketAddress;
        this.sockaddr = sockaddr(socketAddress);
    }

    /** The notifier systemd asked for, or empty when not started by systemd with {@code Type=notify}. */
    public static Optional<SystemdNotify> fromEnvironment() {
        String address = System.getenv("NOTIFY_SOCKET");
        return address == null || address.isBlank() ? Optional.empty() : Optional.of(new SystemdNotify(address));
    }

    /** Sends one state message; false (and a warning) when it could not be sent: notification must not stop work. */
    public boolean send(String state) {
        byte[] msg = state.getBytes(StandardCharsets.UTF_8);
        try {
            LibC c = libc();
            int fd = c.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            try {
                c.sendto(fd, msg, new NativeLong(msg.length), 0, sockaddr, sockaddr.length);
                return true;
            } finally {
                c.close(fd);
            }
        } catch (LastErrorException e) {
            LOG.warn("cannot notify systemd at {} ({}): errno {}", socketAddress, state, e.getErrorCode());
            return false;
        } catch (UnsatisfiedLinkError e) {
            LOG.warn("cannot notify systemd: libc not loadable through JNA ({})", e.getMessage());
            return false;
        }
    }

    public boolean ready() {
        return send("READY=1");
    }

    public boolean watchdog() {
        return send("WATCHDOG=1");
    }

    public boolean stopping() {
        return send("STOPPING=1");
    }

    public boolean status(String text) {
        return send("STATUS=" + text.replace('\n', ' '));
    }

    private static LibC libc() {
        LibC c = libc;
        if (c == null) {
            c = Native.load("c", LibC.class);
            libc = c;
        }
        return c;
    }

    /** struct sockaddr_un: a native-order family, then the path; an abstract name starts with NUL and has no end NUL. */
    static byte[] sockaddr(String address) {
        boolean abstractName = address.startsWith("@");
        byte[] path = (abstractName ? address.substring(1) : address).getBytes(StandardCharsets.UTF_8);
        int pathBytes = path.length + 1;
        if (pathBytes > SUN_PATH_BYTES) {
            throw new IllegalArgumentException("NOTIFY_SOCKET address too long (" + path.length + " bytes): " + address);
        }
        ByteBuffer b = ByteBuffer.allocate(2 + pathBytes).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_UNIX);
        if (abstractName) {
            b.put((byte) 0).put(path);
        } else {
            b.put(path).put((byte) 0);
        }
        return b.array();
    }
}
