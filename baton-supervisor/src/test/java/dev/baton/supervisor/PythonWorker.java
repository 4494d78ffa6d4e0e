package dev.baton.supervisor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A non-Java worker: python3's {@code http.server} on the socket at descriptor 3
 * ({@code socket.socket(fileno=3)}). It first prints the descriptors it was born with, then acts on
 * the mode file: {@code ok} serves (sending READY=1 if it has a NOTIFY_SOCKET), {@code exit1} exits 1
 * at once, {@code never-ready} never serves. On SIGTERM it stops accepting, finishes the requests
 * under way, and exits 0.
 */
final class PythonWorker {

    static final String SCRIPT = """
            import os, sys, socket, signal, threading, time, http.server, socketserver
            print("born with fds", sorted(int(x) for x in os.listdir("/proc/self/fd")), flush=True)
            mode = open(sys.argv[1]).read().strip()
            if mode == "exit1":
                print("broken configuration: exiting with status 1", flush=True)
                sys.exit(1)
            if mode == "never-ready":
                print("starting forever", flush=True)
                while True:
                    time.sleep(60)
            class Handler(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    body = ("pid=%d generation=%s\\n" % (os.getpid(), os.environ.get("BATON_GENERATION"))).encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(body)
                def log_message(self, *args):
                    pass
            class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
                daemon_threads = False
                block_on_close = True
            server = Server(("", 0), Handler, bind_and_activate=False)
            server.socket.close()
            server.socket = socket.socket(fileno=3)
            def terminate(*args):
                threading.Thread(target=server.shutdown).start()
            signal.signal(signal.SIGTERM, terminate)
            if os.environ.get("NOTIFY_SOCKET"):
                notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
                notify.sendto(b"READY=1\\nSTATUS=serving", os.environ["NOTIFY_SOCKET"])
                notify.close()
            server.serve_forever(poll_interval=0.05)
            server.server_close()
            print("drained", flush=True)
            """;

    private PythonWorker() {}

    /** Writes the script and its mode file into {@code directory}; returns the command. */
    static List<String> command(Path directory, String mode) throws IOException {
        Path script = directory.resolve("worker.py");
        Files.writeString(script, SCRIPT);
        setMode(directory, mode);
        return List.of("python3", script.toString(), directory.resolve("mode").toString());
    }

    /** What the next worker started will do. */
    static void setMode(Path directory, String mode) throws IOException {
        Files.writeString(directory.resolve("mode"), mode);
    }
}
