/**
 * Baton's closed-loop HTTP/1.1 load generator: the measurement behind "zero failed requests".
 *
 * <p>It depends on nothing but {@code java.base} and exports one package, {@link dev.baton.load}.
 */
module dev.baton.load {
    exports dev.baton.load;
}
