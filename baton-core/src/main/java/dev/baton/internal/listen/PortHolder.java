package dev.baton.internal.listen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds who listens on a TCP port, for an "address already in use" that names its holder: the listening
 * sockets' inodes from {@code /proc/net/tcp} and {@code /proc/net/tcp6}, then the processes with a
 * {@code socket:[inode]} among their descriptors. Another user's processes are not visible (their
 * {@code /proc/PID/fd} is unreadable), and say so.
 */
public final class PortHolder {

    private static final String LISTEN = "0A";
    private static final int MAX_HOLDERS = 3;
    private static final int MAX_COMMAND_LINE = 160;

    private PortHolder() {}

    /** Words the holders of {@code port}: "held by pid N (command line)", or that it is not visible. */
    public static String describe(int port) {
        Set<String> sockets = listeningSockets(port);
        List<String> holders = sockets.isEmpty() ? List.of() : holders(sockets);
        if (holders.isEmpty()) {
            return "its holder is not visible to this user";
        }
        return "held by " + String.join(", ", holders);
    }

    /** The {@code socket:[inode]} names of the sockets listening on {@code port}. */
    private static Set<String> listeningSockets(int port) {
        Set<String> sockets = new HashSet<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of(table), StandardCharsets.US_ASCII);
            } catch (IOException noTable) {
                continue; // no IPv6, say
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] fields = line.strip().split("\\s+");
                if (fields.length > 9 && LISTEN.equals(fields[3]) && localPort(fields[1]) == port) {
                    sockets.add("socket:[" + fields[9] + "]");
                }
            }
        }
        return sockets;
    }

    private static int localPort(String localAddress) {
        int colon = localAddress.lastIndexOf(':');
        try {
            return colon < 0 ? -1 : Integer.parseInt(localAddress.substring(colon + 1), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** "pid N (command line)" for each visible process holding one of {@code sockets}. */
    private static List<String> holders(Set<String> sockets) {
        List<String> holders = new ArrayList<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"),
                entry -> entry.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path process : processes) {
                if (holds(process, sockets)) {
                    holders.add("pid " + process.getFileName() + " (" + commandLine(process) + ")");
                    if (holders.size() == MAX_HOLDERS) {
                        break;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // /proc unreadable: the holder is not visible
        }
        return holders;
    }

    private static boolean holds(Path process, Set<String> sockets) {
        try (Stream<Path> descriptors = Files.list(process.resolve("fd"))) {
            return descriptors.anyMatch(fd -> {
                try {
                    return sockets.contains(Files.readSymbolicLink(fd).toString());
                } catch (IOException | RuntimeException closedMeanwhile) {
                    return false;
                }
            });
        } catch (IOException | RuntimeException notVisible) {
            return false; // another user's, or exited meanwhile
        }
    }

    private static String commandLine(Path process) {
        try {
            byte[] bytes = Files.readAllBytes(process.resolve("cmdline"));
            String line = new String(bytes, StandardCharsets.UTF_8).replace('\0', ' ').strip();
            return line.length() > MAX_COMMAND_LINE ? line.substring(0, MAX_COMMAND_LINE) + "..." : line;
        } catch (IOException e) {
            return "command line not readable";
        }
    }
}
