package dev.syncline.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The metrics the functions emit: the constants of {@code dev.syncline.adapters.metrics.MetricName}, name to unit.
 * Compiled here from that one source file, in a class loader of its own, for the reason {@link ConfigVariables}
 * gives: the template tests always see the working tree's metric names.
 */
final class MetricNames {

    static final Path PACKAGE = Path.of("../../functions/adapters/src/main/java/dev/syncline/adapters/metrics");
    static final String CLASS = "dev.syncline.adapters.metrics.MetricName";

    private MetricNames() {
    }

    /** Each metric's CloudWatch name and unit. */
    static Map<String, String> declared() {
        Path classes = ConfigVariables.compile(PACKAGE, file -> file.getFileName().toString().equals("MetricName.java"));
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            Class<?> type = Class.forName(CLASS, true, loader);
            Method metric = type.getMethod("metric");
            Method unit = type.getMethod("unit");
            Map<String, String> names = new TreeMap<>();
            for (Object constant : type.getEnumConstants()) {
                names.put((String) metric.invoke(constant), (String) unit.invoke(constant));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load " + CLASS + " from " + classes, e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(CLASS + " in " + PACKAGE + " no longer has metric() and unit()", e);
        } finally {
            ConfigVariables.delete(classes);
        }
    }
}
