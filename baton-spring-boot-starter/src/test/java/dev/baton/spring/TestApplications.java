package dev.baton.spring;

import java.nio.file.Path;

/** What the tests that run a real Spring application pass it: a control socket of their own, and no exit. */
final class TestApplications {

    private TestApplications() {
    }

    /** The arguments of an application named {@code name}-{pid} whose control socket is in {@code control}. */
    static String[] arguments(Path control, String name) {
        return new String[] {"--baton.control-directory=" + control, "--baton.exit-on-stop=false",
                "--baton.name=" + name + "-" + ProcessHandle.current().pid(), "--spring.main.banner-mode=off"};
    }
}
