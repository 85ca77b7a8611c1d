package dev.syncline.testing.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The context Lambda hands one invocation of a function, for hosts that invoke handlers themselves (tests and
 * the local stack): its remaining time starts at the function's timeout and runs down with the clock.
 */
public final class LambdaContext implements Context {

    private final String function;
    private final long deadline;
    private final String requestId = UUID.randomUUID().toString();

    private LambdaContext(String function, long deadline) {
        this.function = function;
        this.deadline = deadline;
    }

    /** A context for one invocation of {@code syncline-<function>}, which may run for {@code timeoutSeconds}. */
    public static Context of(String function, int timeoutSeconds) {
        return of(function, java.time.Duration.ofSeconds(timeoutSeconds));
    }

    /** A context for one invocation of {@code syncline-<function>}, which may run for {@code timeLimit} from now. */
    public static Context of(String function, java.time.Duration timeLimit) {
        return new LambdaContext(function, System.currentTimeMillis() + timeLimit.toMillis());
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/syncline-" + function;
    }

    @Override
    public String getLogStreamName() {
        return "local";
    }

    @Override
    public String getFunctionName() {
        return "syncline-" + function;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return "arn:aws:lambda:us-east-1:000000000000:function:syncline-" + function;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadline - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return FunctionMemory.of(function);
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.out.println(message);
            }

            @Override
            public void log(byte[] message) {
                System.out.println(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
