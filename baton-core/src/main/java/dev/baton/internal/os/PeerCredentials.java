package dev.baton.internal.os;

/** The process at the other end of a Unix socket, as the kernel saw it at connect time (SO_PEERCRED). */
public record PeerCredentials(long pid, int uid, int gid) {}
