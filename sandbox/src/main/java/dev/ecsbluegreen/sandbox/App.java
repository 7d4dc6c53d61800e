package dev.ecsbluegreen.sandbox;

import java.net.URI;

/** One version of the application behind a target group: a {@link DemoApp} the sandbox runs, or one of the user's. */
public sealed interface App permits DemoApp, App.Yours {
    /** "blue" or "green". */
    String color();

    /** Its loopback port: the target registered in the target group. */
    int port();

    /** The version it answers with ({@code X-App-Version}), or null for one of the user's. */
    String version();

    /** How it behaves; {@link DemoApp.Mode#HEALTHY} for one of the user's, which is as it is. */
    DemoApp.Mode mode();

    /** What the timeline calls it. */
    default String label() {
        return version() != null ? version() : "yours";
    }

    /**
     * An application the user runs on this machine, named by {@code --blue-url}/{@code --green-url}: the sandbox
     * neither starts nor stops it.
     */
    record Yours(String color, int port) implements App {
        @Override
        public String version() {
            return null;
        }

        @Override
        public DemoApp.Mode mode() {
            return DemoApp.Mode.HEALTHY;
        }

        /**
         * {@code http://localhost:PORT} or {@code http://127.0.0.1:PORT} (a path is ignored): the local listeners
         * forward to this machine only.
         *
         * @throws IllegalArgumentException for anything else, saying why
         */
        static Yours parse(String color, String url) {
            URI uri;
            try {
                uri = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--" + color + "-url: not a URL: " + url);
            }
            if (!"http".equals(uri.getScheme()) || uri.getPort() < 1
                    || !("localhost".equals(uri.getHost()) || "127.0.0.1".equals(uri.getHost()))) {
                throw new IllegalArgumentException("--" + color + "-url wants http://localhost:PORT or http://127.0.0.1:PORT "
                        + "(an HTTP application on this machine: the sandbox's listeners forward to loopback targets only), "
                        + "not " + url);
            }
            return new Yours(color, uri.getPort());
        }
    }
}
