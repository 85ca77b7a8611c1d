package dev.syncline.testing;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the AWS services once per test JVM (kept in the root context's store, closed when the JVM's
 * tests end) and wipes their content before each test. Which services: the in-JVM emulators by default;
 * LocalStack when the system property {@code syncline.aws} is {@code localstack} (the Maven profile
 * {@code -Plocalstack} sets it), skipped with a message where Docker is absent.
 */
final class AwsStackExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(AwsStackExtension.class);
    private static final String KEY = "aws-stack";

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!RunningServices.canStart()) {
            // Skipped test by test (beforeEach), so reports count each one as skipped with the reason.
            System.err.println(RunningServices.DOCKER_ABSENT);
            return;
        }
        stack(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Assumptions.assumeTrue(RunningServices.canStart(), RunningServices.DOCKER_ABSENT);
        stack(context).wipe();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == AwsStack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return stack(context);
    }

    private static AwsStack stack(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(KEY, key -> RunningServices.start(), RunningServices.class)
                .stack();
    }
}
