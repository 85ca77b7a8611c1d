package dev.syncline.local;

import java.io.Console;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Where the local stack talks to its user: the process's real standard output and error, kept aside before
 * everything else's output is sent to the log file, and whether standard output is a terminal that can redraw a
 * progress display in place (not under CI, not when piped to a file).
 */
final class Terminal {

    /** Set by the launcher from {@code [ -t 1 ]}, which knows best; absent when started some other way. */
    static final String TERMINAL_PROPERTY = "syncline.terminal";

    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;

    Terminal(PrintStream out, PrintStream err, boolean interactive) {
        this.out = out;
        this.err = err;
        this.interactive = interactive;
    }

    static Terminal detect(PrintStream out, PrintStream err, Map<String, String> environment) {
        return new Terminal(out, err, isInteractive(environment));
    }

    private static boolean isInteractive(Map<String, String> environment) {
        if ("dumb".equals(environment.get("TERM")) || environment.containsKey("CI")) {
            return false;
        }
        String told = System.getProperty(TERMINAL_PROPERTY);
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // From JDK 22 System.console() exists even when redirected; Console.isTerminal() (22+) tells the truth.
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException onJdk21) {
            return true;
        }
    }

    boolean interactive() {
        return interactive;
    }

    void println(String line) {
        out.println(line);
        out.flush();
    }

    void println() {
        println("");
    }

    /** Writes as is, for redrawing in place. */
    void write(String text) {
        out.print(text);
        out.flush();
    }

    void error(String line) {
        out.flush();
        err.println(line);
        err.flush();
    }
}
