package dev.baton.demo;

/**
 * What the demo's {@code /ws} endpoint answers, whatever the server: each text message back, tagged
 * with the pid and generation that echoed it ({@code pid=P generation=G: message}).
 */
record WebSocketEcho(long pid, int generation) {

    /** The path of the endpoint. */
    static final String PATH = "/ws";

    String answer(String message) {
        return "pid=" + pid + " generation=" + generation + ": " + message;
    }
}
