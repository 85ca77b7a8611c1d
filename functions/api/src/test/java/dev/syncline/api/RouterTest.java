package dev.syncline.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {

    private static final Router.Endpoint APP = (request, path) -> ApiResponse.json(200, "app");
    private static final Router.Endpoint INSTALL = (request, path) -> ApiResponse.json(201, "install");

    private final Router router = new Router()
            .add("GET", "/v1/apps/{app_id}", APP)
            .add("PUT", "/v1/apps/{app_id}", APP)
            .add("POST", "/v1/installations", INSTALL);

    @Test
    void route_matchesMethodAndTemplateAndNamesThePathParameters() {
        Router.Match match = router.route("PUT", "/v1/apps/shop-export");

        assertThat(match).isEqualTo(new Router.Match.Found("/v1/apps/{app_id}", APP, Map.of("app_id", "shop-export")));
    }

    @Test
    void route_whenThePathExistsWithOtherMethods_saysWhichOnes() {
        assertThat(router.route("DELETE", "/v1/apps/shop-export"))
                .isEqualTo(new Router.Match.MethodNotAllowed("/v1/apps/{app_id}", Set.of("GET", "PUT")));
    }

    @Test
    void route_whenNoTemplateMatches_findsNothing() {
        assertThat(router.route("GET", "/v1/apps")).isEqualTo(new Router.Match.NotFound());
        assertThat(router.route("GET", "/v1/apps/shop-export/versions")).isEqualTo(new Router.Match.NotFound());
        assertThat(router.route("GET", "/v1/apps/")).isEqualTo(new Router.Match.NotFound());
        assertThat(router.route("POST", "/v1/installations/")).isEqualTo(new Router.Match.NotFound());
    }

    @Test
    void describe_listsEveryRoute() {
        assertThat(router.describe())
                .containsExactly("GET /v1/apps/{app_id}", "PUT /v1/apps/{app_id}", "POST /v1/installations");
    }
}
