package dev.syncline.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against real AWS wire protocols: the emulators (started once per test JVM), or
 * LocalStack in Docker with {@code -Psyncline.aws=localstack}. Test methods and constructors may declare an
 * {@link AwsStack} parameter; every test starts with an empty table, queues and bucket.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(AwsStackExtension.class)
public @interface AwsIntegrationTest {
}
