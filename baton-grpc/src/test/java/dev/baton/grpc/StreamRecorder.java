package dev.baton.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A client's response observer that keeps every message and how the stream ended. */
final class StreamRecorder<T> implements StreamObserver<T> {

    final List<T> messages = new CopyOnWriteArrayList<>();
    /** Completes with OK, or with the status the stream failed with. */
    final CompletableFuture<Status> ended = new CompletableFuture<>();

    @Override
    public void onNext(T value) {
        messages.add(value);
    }

    @Override
    public void onError(Throwable t) {
        ended.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
        ended.complete(Status.OK);
    }

    T last() {
        return messages.getLast();
    }
}
