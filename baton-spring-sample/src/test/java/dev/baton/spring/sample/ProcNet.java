package dev.baton.spring.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;

/** What {@code /proc} says about sockets: who has read a request, and the flags of a process's listener. */
final class ProcNet {

    /** O_NONBLOCK, as {@code /proc/<pid>/fdinfo} writes flags (octal). */
    static final int O_NONBLOCK = 04000;

    private ProcNet() {}

    /** Whether the server side of the loopback connection from {@code clientPort} has no unread bytes. */
    static boolean serverHasRead(int serverPort, int clientPort) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/net/tcp"), StandardCharsets.US_ASCII)) {
            String[] f = line.strip().split("\\s+");
            if (f.length > 4 && f[1].contains(":") && port(f[1]) == serverPort && port(f[2]) == clientPort) {
                return Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16) == 0;
            }
        }
        return false;
    }

    /** The file status flags of the descriptor by which {@code pid} holds the socket listening on {@code port}. */
    static OptionalInt listenerFlags(long pid, int port) throws IOException {
        String inode = null;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", "tcp"),
                StandardCharsets.US_ASCII)) {
            String[] f = line.strip().split("\\s+");
            if (f.length > 9 && f[3].equals("0A") && f[1].contains(":") && port(f[1]) == port) {
                inode = f[9];
            }
        }
        Map<String, Path> socketFds = new HashMap<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    socketFds.put(Files.readSymbolicLink(fd).toString(), fd);
                } catch (IOException closedMeanwhile) {
                    // gone between list and read
                }
            }
        }
        Path fd = inode == null ? null : socketFds.get("socket:[" + inode + "]");
        if (fd == null) {
            return OptionalInt.empty();
        }
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "fdinfo", fd.getFileName().toString()))) {
            if (line.startsWith("flags:")) {
                return OptionalInt.of(Integer.parseInt(line.substring("flags:".length()).strip(), 8));
            }
        }
        return OptionalInt.empty();
    }

    private static int port(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.indexOf(':') + 1), 16);
    }
}
