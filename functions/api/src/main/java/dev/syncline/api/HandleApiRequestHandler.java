package dev.syncline.api;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.syncline.adapters.config.Config;
import dev.syncline.adapters.metrics.RunUsageMeter;
import dev.syncline.adapters.wiring.FunctionLogging;
import dev.syncline.adapters.wiring.Services;

/**
 * The api function: API Gateway HTTP API events (payload format 2.0) in, responses out. Everything is wired once,
 * when the function instance starts.
 */
public final class HandleApiRequestHandler
        implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final Api api;

    /** Called by the Lambda runtime: reads the environment and fails naming what is missing. */
    public HandleApiRequestHandler() {
        this(Api.create(Config.fromEnvironment()));
    }

    /** For a host that wires once for several functions (the local stack). */
    public HandleApiRequestHandler(Services services) {
        this(Api.create(services));
    }

    HandleApiRequestHandler(Api api) {
        this.api = api;
    }

    @Override
    @SuppressWarnings("try") // the ids tag the lines written inside, unreferenced
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        try (FunctionLogging.Ids invocation = FunctionLogging.invocation(context);
                RunUsageMeter.Stretch used = api.usageMeter().start("api", context, null)) {
            return api.handle(ApiRequest.from(event)).toEvent();
        } finally {
            api.flushMetrics();
        }
    }
}
