package dev.baton.internal.os;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The members of a process group, read from {@code /proc/PID/stat}: what a supervisor needs to end a
 * group whose leader has exited (its descendants that stayed in the group may still hold listeners).
 */
public final class ProcessGroups {

    /** A process of a group: its pid and command name ({@code comm}). */
    public record Member(long pid, String command) {
        @Override
        public String toString() {
            return pid + " (" + command + ")";
        }
    }

    private ProcessGroups() {}

    /** The live processes whose process group is {@code pgid}, except {@code pgid} itself; zombies excluded. */
    public static List<Member> othersIn(long pgid) {
        List<Member> members = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path entry : entries) {
                long pid = Long.parseLong(entry.getFileName().toString());
                if (pid == pgid) {
                    continue;
                }
                String stat;
                try {
                    stat = Files.readString(entry.resolve("stat"), StandardCharsets.UTF_8);
                } catch (IOException goneMeanwhile) {
                    continue;
                }
                // pid (comm) state ppid pgrp ...: comm may hold spaces and ')', so split after the last ')'.
                int close = stat.lastIndexOf(')');
                String[] fields = stat.substring(close + 2).split(" ");
                if (fields.length > 2 && !fields[0].equals("Z") && Long.parseLong(fields[2]) == pgid) {
                    members.add(new Member(pid, stat.substring(stat.indexOf('(') + 1, close)));
                }
            }
        } catch (IOException | RuntimeException e) {
            return members; // /proc unreadable: nothing known, the caller still signals the group
        }
        return members;
    }
}
