package dev.baton.load;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/** How many times each distinct value was seen, kept in the order values were first seen; thread-safe. */
final class ValueCounts {

    private final ConcurrentHashMap<Long, LongAdder> counts = new ConcurrentHashMap<>();
    private final Queue<Long> firstSeen = new ConcurrentLinkedQueue<>();

    void add(long value) {
        LongAdder adder = counts.get(value);
        if (adder == null) {
            LongAdder created = new LongAdder();
            adder = counts.putIfAbsent(value, created);
            if (adder == null) {
                adder = created;
                firstSeen.add(value);
            }
        }
        adder.increment();
    }

    int distinct() {
        return counts.size();
    }

    Map<Long, Long> toMap() {
        Map<Long, Long> map = new LinkedHashMap<>();
        for (Long value : firstSeen) {
            map.put(value, counts.get(value).sum());
        }
        return map;
    }
}
