package dev.syncline.sampleapp;

import java.util.Map;

/**
 * Where {@link SampleApp#main} listens: {@code --host} and {@code --port} arguments, else the
 * {@code SAMPLE_APP_HOST} and {@code SAMPLE_APP_PORT} environment variables, else 127.0.0.1:8081.
 * Port 0 picks a free port; the line printed at start names it.
 */
record LaunchOptions(String host, int port) {

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 8081;
    static final String USAGE = "usage: SampleApp [--host HOST] [--port PORT]   (env: SAMPLE_APP_HOST, SAMPLE_APP_PORT;"
            + " defaults " + DEFAULT_HOST + ":" + DEFAULT_PORT + ")";

    LaunchOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("the host must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("the port must be 0 to 65535, got " + port);
        }
    }

    /** @throws IllegalArgumentException saying which argument or variable is wrong */
    static LaunchOptions parse(String[] args, Map<String, String> environment) {
        String host = environment.getOrDefault("SAMPLE_APP_HOST", DEFAULT_HOST);
        String port = environment.getOrDefault("SAMPLE_APP_PORT", Integer.toString(DEFAULT_PORT));
        String portSource = environment.containsKey("SAMPLE_APP_PORT") ? "SAMPLE_APP_PORT" : "the default port";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            String value;
            if (arg.contains("=")) {
                value = arg.substring(arg.indexOf('=') + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
            switch (name) {
                case "--host" -> host = value;
                case "--port" -> {
                    port = value;
                    portSource = "--port";
                }
                default -> throw new IllegalArgumentException("unknown argument " + arg);
            }
        }
        try {
            return new LaunchOptions(host, Integer.parseInt(port.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(portSource + " must be a number, got '" + port + "'", e);
        }
    }
}
