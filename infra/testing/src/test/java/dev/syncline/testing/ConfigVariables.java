package dev.syncline.testing;

import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * The environment variables {@code dev.syncline.adapters.config.Config} declares: the values of its public static
 * final String fields, found by reflection.
 *
 * <p>infra/testing cannot depend on the adapters module (the adapters' tests depend on infra/testing), and in a
 * clean build the adapters may not be compiled yet when these tests run. So the config package is compiled here,
 * from its source, and loaded in a class loader of its own: the check always sees the Config of the working tree.
 */
final class ConfigVariables {

    static final Path PACKAGE = Path.of("../../functions/adapters/src/main/java/dev/syncline/adapters/config");
    static final String CLASS = "dev.syncline.adapters.config.Config";

    private ConfigVariables() {
    }

    /** The values of Config's public static final String fields that start with {@code SYNCLINE_}. */
    static Set<String> declared() {
        Path classes = compile(PACKAGE, file -> true);
        try (URLClassLoader loader = new URLClassLoader(new java.net.URL[] {classes.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            return constants(Class.forName(CLASS, true, loader));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot load " + CLASS + " from " + classes, e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(CLASS + " is not in " + PACKAGE, e);
        } finally {
            delete(classes);
        }
    }

    private static Set<String> constants(Class<?> config) {
        Set<String> variables = new TreeSet<>();
        for (Field field : config.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (field.getType() == String.class && Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers)
                    && Modifier.isFinal(modifiers)) {
                try {
                    String value = (String) field.get(null);
                    if (value != null && value.startsWith("SYNCLINE_")) {
                        variables.add(value);
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("Cannot read " + CLASS + "." + field.getName(), e);
                }
            }
        }
        return variables;
    }

    /**
     * Compiles the chosen sources of one package, which must need nothing but the JDK, into a new temporary
     * directory; {@link #delete} it after use.
     */
    static Path compile(Path sourcePackage, java.util.function.Predicate<Path> chosen) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new IllegalStateException("These tests need a JDK (javax.tools), not a JRE.");
        }
        try {
            Path output = Files.createTempDirectory("syncline-config-");
            List<String> arguments = new ArrayList<>(List.of("-d", output.toString(), "-proc:none", "-nowarn"));
            try (Stream<Path> sources = Files.list(sourcePackage)) {
                sources.filter(file -> file.toString().endsWith(".java")).filter(chosen).map(Path::toString).forEach(arguments::add);
            }
            ByteArrayOutputStream errors = new ByteArrayOutputStream();
            if (compiler.run(null, errors, errors, arguments.toArray(String[]::new)) != 0) {
                delete(output);
                throw new IllegalStateException("The sources in " + sourcePackage + " do not compile on their own:\n"
                        + errors.toString(StandardCharsets.UTF_8));
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot compile " + sourcePackage, e);
        }
    }

    static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // A leftover in the temporary directory is harmless.
        }
    }
}
