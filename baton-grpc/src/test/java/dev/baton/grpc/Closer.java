package dev.baton.grpc;

import java.util.ArrayList;
import java.util.List;

/** What a test opened (servers, channels, threads), closed in reverse order after it. */
final class Closer {

    private final List<AutoCloseable> open = new ArrayList<>();

    <T extends AutoCloseable> T add(T closeable) {
        open.add(closeable);
        return closeable;
    }

    void closeAll() throws Exception {
        for (AutoCloseable closeable : open.reversed()) {
            closeable.close();
        }
        open.clear();
    }
}
