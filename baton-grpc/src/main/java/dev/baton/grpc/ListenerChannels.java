package dev.baton.grpc;

import io.netty.channel.ChannelFactory;
import io.netty.channel.ServerChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Netty channel factory of one gRPC server on Baton listeners: it hands each listener to the
 * server's bootstrap once, in the order the server binds its addresses, and gates accepting.
 *
 * <p>Concurrency: one lock guards the gate, the channels made so far and the count of accepted
 * connections not yet handed to gRPC; Netty calls in from its event loops, Baton from its threads.
 */
final class ListenerChannels implements ChannelFactory<ServerChannel> {

    private final List<ServerSocketChannel> listeners;
    private final List<ListenerServerChannel> channels = new ArrayList<>();
    private boolean accepting;
    private boolean closed;
    private int unsettled;
    private CompletableFuture<Void> allSettled;

    ListenerChannels(List<ServerSocketChannel> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public synchronized ServerChannel newChannel() {
        if (channels.size() == listeners.size() || closed) {
            // Throwing here would leave grpc-java closing a channel it never registered; a channel that
            // refuses to bind fails the server's start with a message instead.
            return refusing();
        }
        ListenerServerChannel channel = new ListenerServerChannel(listeners.get(channels.size()), accepting, this);
        channels.add(channel);
        return channel;
    }

    private ListenerServerChannel refusing() {
        try {
            return new ListenerServerChannel(ServerSocketChannel.open(), false, this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a channel to refuse an extra listen address", e);
        }
    }

    /** Lets every channel accept, now and once it is made. */
    synchronized void startAccepting() {
        if (closed) {
            return;
        }
        accepting = true;
        for (ListenerServerChannel channel : channels) {
            channel.config().setAutoRead(true);
        }
    }

    /** Stops or restarts reading the channels (the probation after a successor is ready), unless closed. */
    synchronized void pauseAccepting(boolean paused) {
        if (closed) {
            return;
        }
        accepting = !paused;
        for (ListenerServerChannel channel : channels) {
            channel.config().setAutoRead(!paused);
        }
    }

    /**
     * Closes this server's copy of every listener (a plain {@code close}, never {@code shutdown}, so
     * the other generations holding the socket go on accepting), and completes once every connection
     * accepted before that has been handed to gRPC or closed.
     */
    CompletableFuture<Void> stopAccepting() {
        List<ListenerServerChannel> toClose;
        synchronized (this) {
            closed = true;
            accepting = false;
            toClose = List.copyOf(channels);
        }
        List<CompletableFuture<Void>> closes = new ArrayList<>();
        for (ListenerServerChannel channel : toClose) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            channel.close().addListener(future -> done.complete(null));
            closes.add(done);
        }
        // Accepts run on the channel's event loop, so once its close completed none is left to come.
        return CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new)).thenCompose(v -> settledFuture());
    }

    private synchronized CompletableFuture<Void> settledFuture() {
        if (allSettled == null) {
            allSettled = new CompletableFuture<>();
        }
        if (unsettled == 0) {
            allSettled.complete(null);
        }
        return allSettled;
    }

    synchronized void accepted() {
        unsettled++;
    }

    void settled() {
        CompletableFuture<Void> toComplete = null;
        synchronized (this) {
            unsettled--;
            if (unsettled == 0 && allSettled != null) {
                toComplete = allSettled;
            }
        }
        if (toComplete != null) {
            toComplete.complete(null);
        }
    }

    /** How many listeners were given. */
    int size() {
        return listeners.size();
    }
}
